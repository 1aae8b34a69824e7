// The window opens where it was last closed, at the size it had, maximized or full screen if it
// was. What is kept is a small JSON file in the app's data folder; the choice of where to open is
// made here, apart from Electron, so a test can hand it any arrangement of displays. A file that
// is missing, damaged or written by hand with nonsense only means the window opens as new.
import { readFileSync, statSync } from 'node:fs'
import { writeSmallFile } from '../core/smallFile'

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState {
  /** The window's bounds when neither maximized nor full screen (getNormalBounds). */
  bounds: Rect
  maximized: boolean
  fullScreen: boolean
}

/** Electron's `screen`, or a stand-in with the parts used here. */
export interface Displays {
  getAllDisplays(): { workArea: Rect }[]
  getPrimaryDisplay(): { workArea: Rect }
}

/** Where and how the window opens. */
export interface Placement {
  bounds: Rect
  maximized: boolean
  fullScreen: boolean
}

export const DEFAULT_SIZE = { width: 1280, height: 820 }
/** The window's minimum size (window.ts gives it to the window too). */
export const MIN_SIZE = { width: 720, height: 480 }
/**
 * How much of the window must lie on one display's work area, each way, for it to open where it
 * was: enough to see it and grab its title bar. A sliver at a screen's edge, left by a monitor
 * unplugged since, is not.
 */
const MIN_VISIBLE = 64
/** A real state file is under 200 bytes; anything far larger is not one, and is not read. */
const MAX_FILE_BYTES = 16 * 1024
/** Beyond any screen there is; keeps a hand-edited 1e308 from reaching the window. */
const MAX_COORDINATE = 100_000

const isCoordinate = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= MAX_COORDINATE

/** The state the file's text holds, or null when it does not hold one. */
export function parseWindowState(text: string): WindowState | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const { bounds, maximized, fullScreen } = value as Record<string, unknown>
  if (typeof bounds !== 'object' || bounds === null) return null
  const { x, y, width, height } = bounds as Record<string, unknown>
  if (![x, y, width, height].every(isCoordinate)) return null
  if ((width as number) <= 0 || (height as number) <= 0) return null
  return {
    bounds: { x, y, width, height } as Rect,
    maximized: maximized === true,
    fullScreen: fullScreen === true,
  }
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  }
}

/** A size no larger than the work area (a smaller screen now), and no smaller than the minimum. */
function fitted(width: number, height: number, area: Rect): { width: number; height: number } {
  return {
    width: Math.min(Math.max(width, MIN_SIZE.width), area.width),
    height: Math.min(Math.max(height, MIN_SIZE.height), area.height),
  }
}

/**
 * Where the window opens: where it was, when that still meets a display's work area; otherwise
 * centered on the primary display. Either way its size fits the display it opens on. The
 * maximized and full-screen states are kept as they were: they follow the display the window
 * is on, wherever that is.
 */
export function placeWindow(saved: WindowState | null, screen: Displays): Placement {
  if (saved) {
    const { bounds } = saved
    let best: { area: Rect; seen: number } | null = null
    for (const { workArea } of screen.getAllDisplays()) {
      const o = overlap(bounds, workArea)
      if (o.width < Math.min(MIN_VISIBLE, bounds.width)) continue
      if (o.height < Math.min(MIN_VISIBLE, bounds.height)) continue
      if (!best || o.width * o.height > best.seen)
        best = { area: workArea, seen: o.width * o.height }
    }
    if (best) {
      const size = fitted(bounds.width, bounds.height, best.area)
      // A window grown past the work area's edge by a smaller screen is moved back inside it.
      const x = Math.min(
        Math.max(bounds.x, best.area.x),
        best.area.x + best.area.width - size.width,
      )
      const y = Math.min(
        Math.max(bounds.y, best.area.y),
        best.area.y + best.area.height - size.height,
      )
      return { bounds: { x, y, ...size }, maximized: saved.maximized, fullScreen: saved.fullScreen }
    }
  }
  const area = screen.getPrimaryDisplay().workArea
  // The size the user chose is still theirs on another screen; only the place is lost.
  const size = fitted(
    saved?.bounds.width ?? DEFAULT_SIZE.width,
    saved?.bounds.height ?? DEFAULT_SIZE.height,
    area,
  )
  return {
    bounds: {
      x: area.x + Math.floor((area.width - size.width) / 2),
      y: area.y + Math.floor((area.height - size.height) / 2),
      ...size,
    },
    maximized: saved?.maximized ?? false,
    fullScreen: saved?.fullScreen ?? false,
  }
}

/** The state kept in `file`, or null when there is none to trust (missing, damaged, too big). */
export function readWindowState(file: string): WindowState | null {
  try {
    if (statSync(file).size > MAX_FILE_BYTES) return null
    return parseWindowState(readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}

/**
 * Keeps `state` in `file`: written beside it and renamed over it, so that a crash or a power cut
 * mid-write leaves the old state or the new one, never half of one.
 */
export function writeWindowState(file: string, state: WindowState): void {
  writeSmallFile(file, `${JSON.stringify(state)}\n`)
}

/** Electron's BrowserWindow, or a stand-in with the parts used here. */
export interface StatefulWindow {
  on(event: string, listener: () => void): unknown
  getNormalBounds(): Rect
  isMaximized(): boolean
  isFullScreen(): boolean
}

/** How long moving or resizing must pause before the state is written. */
export const SAVE_DELAY_MS = 500

/**
 * Keeps the window's state as it changes: after each move or resize has settled (a drag sends
 * dozens of events a second), and at once when the window closes. The bounds are the normal
 * ones, so a maximized window remembers the size it goes back to. `save` failing (a full disk)
 * is reported and costs only the remembered place, never the window.
 */
export function rememberWindow(
  window: StatefulWindow,
  save: (state: WindowState) => void,
  report: (error: Error) => void,
): void {
  let timer: ReturnType<typeof setTimeout> | null = null
  const saveNow = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = null
    try {
      save({
        bounds: window.getNormalBounds(),
        maximized: window.isMaximized(),
        fullScreen: window.isFullScreen(),
      })
    } catch (error) {
      report(error as Error)
    }
  }
  const saveSoon = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = setTimeout(saveNow, SAVE_DELAY_MS)
  }
  for (const event of [
    'move',
    'resize',
    'maximize',
    'unmaximize',
    'enter-full-screen',
    'leave-full-screen',
  ]) {
    window.on(event, saveSoon)
  }
  // 'close', not 'closed': after 'closed' the window can no longer be asked its bounds.
  window.on('close', saveNow)
}

/** Electron's BrowserWindow, or a stand-in: what showing a placed window needs. */
export interface PlacedWindow {
  maximize(): void
  setFullScreen(flag: boolean): void
  show(): void
}

/** Shows the window as it was left: maximized or full screen over its normal bounds. */
export function showPlaced(window: PlacedWindow, placement: Placement): void {
  if (placement.fullScreen) window.setFullScreen(true)
  else if (placement.maximized) window.maximize()
  window.show()
}
