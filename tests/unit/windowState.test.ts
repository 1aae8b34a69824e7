// The remembered window: the file read back whatever it holds, the place chosen against
// stand-ins for Electron's `screen` (displays added and taken away), and the state kept as a
// stand-in window is moved, maximized and closed.
import { EventEmitter } from 'node:events'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  DEFAULT_SIZE,
  SAVE_DELAY_MS,
  parseWindowState,
  placeWindow,
  readWindowState,
  rememberWindow,
  showPlaced,
  writeWindowState,
} from '../../electron/main/windowState'
import type { Rect, WindowState } from '../../electron/main/windowState'
import { openAppWindow } from '../../electron/main/window'

vi.mock('electron', () => ({ app: { on: () => undefined }, shell: {} }))

const LAPTOP: Rect = { x: 0, y: 0, width: 1440, height: 875 }
const MONITOR: Rect = { x: 1440, y: -200, width: 2560, height: 1400 }

/** A stand-in for `screen`: the displays' work areas, the first one primary. */
const screenOf = (...areas: Rect[]) => ({
  getAllDisplays: () => areas.map((workArea) => ({ workArea })),
  getPrimaryDisplay: () => ({ workArea: areas[0]! }),
})

const state = (bounds: Rect, maximized = false, fullScreen = false): WindowState => ({
  bounds,
  maximized,
  fullScreen,
})

describe('the state file', () => {
  it('reads back what was written', () => {
    const kept = state({ x: 10, y: -20, width: 900, height: 700 }, true)
    expect(parseWindowState(JSON.stringify(kept))).toEqual(kept)
  })

  it.each([
    ['empty', ''],
    ['cut short', '{"bounds":{"x":1,"y":2,"wid'],
    ['not an object', '[1,2,3]'],
    ['null', 'null'],
    ['no bounds', '{"maximized":true}'],
    ['a coordinate missing', '{"bounds":{"x":1,"width":800,"height":600}}'],
    ['a coordinate as text', '{"bounds":{"x":"1","y":2,"width":800,"height":600}}'],
    ['a fraction', '{"bounds":{"x":1.5,"y":2,"width":800,"height":600}}'],
    ['a huge number', '{"bounds":{"x":1e308,"y":2,"width":800,"height":600}}'],
    ['no width', '{"bounds":{"x":1,"y":2,"width":0,"height":600}}'],
    ['a negative height', '{"bounds":{"x":1,"y":2,"width":800,"height":-600}}'],
  ])('holds no state when it is %s', (_why, text) => {
    expect(parseWindowState(text)).toBeNull()
  })

  it('takes anything but true as not maximized and not full screen', () => {
    const text = '{"bounds":{"x":1,"y":2,"width":800,"height":600},"maximized":"yes"}'
    expect(parseWindowState(text)).toMatchObject({ maximized: false, fullScreen: false })
  })

  describe('on disk', () => {
    let dir: string
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'lectern-window-'))
    })
    afterEach(() => rmSync(dir, { recursive: true, force: true }))

    it('is written whole, with no temporary file left beside it, and read back', () => {
      const file = join(dir, 'window-state.json')
      writeWindowState(file, state({ x: 1, y: 2, width: 800, height: 600 }))
      writeWindowState(file, state({ x: 3, y: 4, width: 900, height: 700 }, false, true))
      expect(readdirSync(dir)).toEqual(['window-state.json'])
      expect(readWindowState(file)).toEqual(
        state({ x: 3, y: 4, width: 900, height: 700 }, false, true),
      )
    })

    it('means no state when missing, damaged, too large or not a file', () => {
      expect(readWindowState(join(dir, 'missing.json'))).toBeNull()
      writeFileSync(join(dir, 'damaged.json'), '{"bounds":')
      expect(readWindowState(join(dir, 'damaged.json'))).toBeNull()
      const big = { ...state({ x: 1, y: 2, width: 800, height: 600 }), pad: 'x'.repeat(20_000) }
      writeFileSync(join(dir, 'big.json'), JSON.stringify(big))
      expect(readWindowState(join(dir, 'big.json'))).toBeNull()
      expect(readWindowState(dir)).toBeNull()
    })
  })
})

describe('where the window opens', () => {
  it('opens centered on the primary display at the default size the first time', () => {
    expect(placeWindow(null, screenOf(LAPTOP, MONITOR))).toEqual({
      bounds: { x: 80, y: 27, ...DEFAULT_SIZE },
      maximized: false,
      fullScreen: false,
    })
  })

  it('opens where it was, on whichever display that is', () => {
    const onMonitor = state({ x: 2000, y: 0, width: 1600, height: 1000 })
    expect(placeWindow(onMonitor, screenOf(LAPTOP, MONITOR))).toEqual(onMonitor)
    const onLaptop = state({ x: 30, y: 40, width: 1000, height: 700 }, true)
    expect(placeWindow(onLaptop, screenOf(LAPTOP, MONITOR))).toEqual(onLaptop)
  })

  it('opens centered on the primary display, its size kept, when its monitor is gone', () => {
    const onMonitor = state({ x: 2000, y: 0, width: 1000, height: 800 }, true)
    expect(placeWindow(onMonitor, screenOf(LAPTOP))).toEqual({
      bounds: { x: 220, y: 37, width: 1000, height: 800 },
      maximized: true,
      fullScreen: false,
    })
  })

  it('does not count a sliver left at the edge of a display as on it', () => {
    // 40 px of it on the laptop: the rest was on a monitor unplugged since.
    const sliver = state({ x: 1400, y: 100, width: 1000, height: 700 })
    expect(placeWindow(sliver, screenOf(LAPTOP)).bounds).toEqual({
      x: 220,
      y: 87,
      width: 1000,
      height: 700,
    })
  })

  it('fits a window larger than the display it opens on, and moves it inside', () => {
    const big = state({ x: 2000, y: -100, width: 2400, height: 1300 })
    // Its right 400 px were past the monitor's edge: moved back inside, its size kept.
    expect(placeWindow(big, screenOf(LAPTOP, MONITOR)).bounds).toEqual({ ...big.bounds, x: 1600 })
    // The monitor is gone: it comes back on the laptop, no larger than its work area.
    expect(placeWindow(big, screenOf(LAPTOP)).bounds).toEqual(LAPTOP)
    // Still on the laptop but grown past its right edge (a lower resolution now).
    const wide = state({ x: 600, y: 0, width: 1400, height: 800 })
    expect(placeWindow(wide, screenOf(LAPTOP)).bounds).toEqual({
      x: 40,
      y: 0,
      width: 1400,
      height: 800,
    })
  })

  it('never opens smaller than the window allows, unless the display is smaller', () => {
    const tiny = state({ x: 10, y: 10, width: 100, height: 50 })
    expect(placeWindow(tiny, screenOf(LAPTOP)).bounds).toEqual({
      x: 10,
      y: 10,
      width: 720,
      height: 480,
    })
    const small: Rect = { x: 0, y: 0, width: 640, height: 400 }
    expect(placeWindow(null, screenOf(small)).bounds).toEqual(small)
  })
})

/** A stand-in for BrowserWindow: its events and the state it reports. */
class FakeWindow extends EventEmitter {
  normal: Rect = { x: 10, y: 20, width: 800, height: 600 }
  maximized = false
  fullScreen = false
  readonly calls: string[] = []
  getNormalBounds = (): Rect => this.normal
  isMaximized = (): boolean => this.maximized
  isFullScreen = (): boolean => this.fullScreen
  maximize = (): void => void this.calls.push('maximize')
  setFullScreen = (flag: boolean): void => void this.calls.push(`fullScreen ${flag}`)
  show = (): void => void this.calls.push('show')
}

describe('keeping the state', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('writes once a move or resize has settled, not at every step of a drag', () => {
    const window = new FakeWindow()
    const saved: WindowState[] = []
    rememberWindow(
      window,
      (s) => saved.push(s),
      () => undefined,
    )
    for (let x = 0; x < 20; x += 1) {
      window.normal = { ...window.normal, x }
      window.emit('move')
      vi.advanceTimersByTime(50)
    }
    window.emit('resize')
    expect(saved).toEqual([])
    vi.advanceTimersByTime(SAVE_DELAY_MS)
    expect(saved).toEqual([state({ x: 19, y: 20, width: 800, height: 600 })])
  })

  it('keeps the normal bounds of a maximized window, and writes at once on close', () => {
    const window = new FakeWindow()
    const saved: WindowState[] = []
    rememberWindow(
      window,
      (s) => saved.push(s),
      () => undefined,
    )
    window.maximized = true
    window.emit('maximize')
    window.emit('close')
    expect(saved).toEqual([state({ x: 10, y: 20, width: 800, height: 600 }, true)])
    // The write waiting for the maximize was the close's; nothing more comes.
    vi.advanceTimersByTime(SAVE_DELAY_MS * 2)
    expect(saved).toHaveLength(1)
  })

  it('notes full screen, and reports a failed write without throwing', () => {
    const window = new FakeWindow()
    const errors: string[] = []
    rememberWindow(
      window,
      () => {
        throw new Error('ENOSPC')
      },
      (error) => errors.push(error.message),
    )
    window.fullScreen = true
    window.emit('enter-full-screen')
    vi.advanceTimersByTime(SAVE_DELAY_MS)
    expect(() => window.emit('close')).not.toThrow()
    expect(errors).toEqual(['ENOSPC', 'ENOSPC'])
  })
})

describe('showing the window', () => {
  it('shows it maximized, full screen or as it is', () => {
    const place = { bounds: LAPTOP, maximized: false, fullScreen: false }
    const plain = new FakeWindow()
    showPlaced(plain, place)
    expect(plain.calls).toEqual(['show'])
    const maximized = new FakeWindow()
    showPlaced(maximized, { ...place, maximized: true })
    expect(maximized.calls).toEqual(['maximize', 'show'])
    const full = new FakeWindow()
    showPlaced(full, { ...place, maximized: true, fullScreen: true })
    expect(full.calls).toEqual(['fullScreen true', 'show'])
  })

  it('gives the window the bounds it is placed at', () => {
    class Made {
      readonly webContents = new EventEmitter() as unknown as Electron.WebContents
      constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
        Object.assign(this.webContents, { setWindowOpenHandler: () => undefined })
      }
      async loadURL(): Promise<void> {}
    }
    const bounds = { x: 30, y: 40, width: 1000, height: 700 }
    expect(
      openAppWindow(Made, { isPackaged: true, preload: 'p.js', bounds }).options,
    ).toMatchObject(bounds)
    const fresh = openAppWindow(Made, { isPackaged: true, preload: 'p.js' }).options
    expect(fresh).toMatchObject(DEFAULT_SIZE)
    expect(fresh).not.toHaveProperty('x')
  })
})
