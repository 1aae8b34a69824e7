// The table's columns: what each shows, how wide it is, and which way it first sorts. A field
// added to the table is added here and nowhere else in the renderer.
import type { ReactNode } from 'react'
import type { ColumnDef } from '@tanstack/react-table'
import { STATUS_LABELS } from '../../../shared/domain'
import type { LibraryStats, PaperRow, SortDirection, SortField } from '../../../shared/domain'
import { formatAuthors, formatDate, formatDateTime } from '../format'
import { classNames } from '../styles/classNames'
import { markWords } from '../search/highlight'
import type { termsOf } from '../search/highlight'
import statusStyles from '../styles/status.module.css'
import styles from './PaperTable.module.css'

/** A row still being fetched holds only its place. */
export type Cell = PaperRow | { id: null; index: number }

export function isLoaded(row: Cell): row is PaperRow {
  return row.id !== null
}

/** Pixels, or a share of the room left. */
export type ColumnWidth = number | { fr: number }

declare module '@tanstack/react-table' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData, TValue> {
    /**
     * The column's default width: pixels, or a share (fr) of the room the pixel columns leave,
     * for the columns of text. The user may resize any but the title (columnLayout.ts).
     */
    width: ColumnWidth
    /** How narrow and how wide (px) the user may make it; the title has none: it takes the rest. */
    resize?: { min: number; max: number }
    /** The direction a first click sorts in: A→Z for names, newest first for dates. */
    firstDirection: SortDirection
    /** Secondary columns are set in the muted colour, figures aligned. */
    muted?: boolean
    /** Shown only when this says so (a column no paper in the library fills is left out). */
    shownWhen?: (stats: LibraryStats) => boolean
    /** Hidden until the user shows it (the Columns menu). */
    hiddenByDefault?: boolean
    /** The user may hide it (every column but the title and the status). */
    optional?: boolean
    /** Left out while the table is narrower than this (px), so the title keeps its room. */
    dropBelow?: number
    /** Not a sort (the header is a plain label). */
    unsorted?: boolean
    /** The header's name for assistive technology, where it shows a symbol. */
    label?: string
    /** What the column's cell shows for a loaded paper (PaperRowView.tsx draws the rows). */
    show: (paper: PaperRow, row: RowMeta) => ReactNode
    /** A row still being fetched shows a grey bar in this column. */
    placeholder?: boolean
  }
}

/** What a row's cells need besides the paper. */
export interface RowMeta {
  /** Stars or unstars a paper (the star column's button); absent where nothing may change. */
  onStar?: (paper: PaperRow) => void
  /** The words the search looks for, to mark in titles. */
  terms: ReturnType<typeof termsOf>
}

/** Text with some words marked. */
function MarkedText({ parts }: { parts: { text: string; hit: boolean }[] }) {
  return <>{parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : p.text))}</>
}

/**
 * A metadata column (year, venue, arXiv id, DOI): hidden until chosen in the Columns menu, the
 * value in full on hover, a dash where the paper has none.
 */
function metadataColumn(
  field: 'year' | 'venue' | 'arxivId' | 'doi',
  header: string,
  width: ColumnWidth,
  resize: { min: number; max: number },
  firstDirection: SortDirection,
): ColumnDef<Cell> {
  return {
    id: field satisfies SortField,
    header,
    meta: {
      width,
      resize,
      firstDirection,
      muted: true,
      optional: true,
      hiddenByDefault: true,
      show: (paper) => {
        const value = paper[field]
        return <span title={value === null ? undefined : String(value)}>{value ?? '—'}</span>
      },
    },
  }
}

/** A date's column: a whole day ("Nov 30, 2026") always fits; more room shows nothing more. */
const DATE_RESIZE = { min: 104, max: 240 }

/** A moment (status changed, read on): its day, the time on hover; hidden until chosen. */
function dateColumn(
  field: 'statusChangedAt' | 'readAt',
  header: string,
  width: number,
  unsorted: boolean,
): ColumnDef<Cell> {
  return {
    id: field,
    header,
    meta: {
      width,
      resize: DATE_RESIZE,
      firstDirection: 'desc',
      muted: true,
      optional: true,
      hiddenByDefault: true,
      unsorted,
      dropBelow: 700,
      show: (paper) => {
        const at = paper[field]
        return at ? <span title={formatDateTime(at)}>{formatDate(at.slice(0, 10))}</span> : null
      },
    },
  }
}

export const paperColumns: ColumnDef<Cell>[] = [
  {
    id: 'starred' satisfies SortField,
    header: '★',
    meta: {
      width: 32,
      resize: { min: 30, max: 64 },
      firstDirection: 'desc',
      optional: true,
      label: 'Starred',
      show: (paper, row) => (
        <button
          // The button is its paper's: rows are kept across papers (keyed by their place), and a
          // star clicked, focused, must not stay focused on the next paper to take its place,
          // where Space or Enter would star that one.
          key={paper.id}
          type="button"
          className={classNames(styles.starButton, paper.starred && styles.starred)}
          aria-pressed={paper.starred}
          aria-label={paper.starred ? 'Starred' : 'Star'}
          title={paper.starred ? 'Unstar (s)' : 'Star (s)'}
          // The row's own mousedown selects it; the click stars it, and keeps the selection.
          onMouseDown={(e) => e.stopPropagation()}
          onClick={() => row.onStar?.(paper)}
          disabled={!row.onStar}
          tabIndex={-1}
        >
          {paper.starred ? '★' : '☆'}
        </button>
      ),
    },
  },
  {
    id: 'title' satisfies SortField,
    header: 'Title',
    meta: {
      width: { fr: 1 },
      firstDirection: 'asc',
      placeholder: true,
      show: (paper, { terms }) => (
        <span className={styles.titleBlock}>
          <span className={styles.titleCell} title={paper.title}>
            <span className={styles.titleText}>
              <MarkedText parts={markWords(paper.title, terms)} />
            </span>
            {paper.hasNote && (
              <span className={styles.noteMark} title="Has a note" aria-label="has a note">
                ✎
              </span>
            )}
          </span>
          {paper.snippet && (
            <span className={styles.snippet} data-testid="snippet">
              <MarkedText parts={paper.snippet} />
            </span>
          )}
        </span>
      ),
    },
  },
  {
    id: 'authors' satisfies SortField,
    header: 'Authors',
    meta: {
      width: { fr: 0.4 },
      resize: { min: 60, max: 640 },
      firstDirection: 'asc',
      muted: true,
      optional: true,
      dropBelow: 560,
      shownWhen: (stats) => stats.withAuthors > 0,
      show: (paper) => (
        <span title={paper.authors.join(', ') || undefined}>{formatAuthors(paper.authors)}</span>
      ),
    },
  },
  {
    id: 'status' satisfies SortField,
    header: 'Status',
    meta: {
      width: 96,
      resize: { min: 84, max: 200 },
      firstDirection: 'asc',
      show: (paper) => (
        <span
          className={classNames(styles.statusPill, statusStyles[paper.status])}
          data-testid="status-pill"
        >
          {STATUS_LABELS[paper.status]}
        </span>
      ),
    },
  },
  {
    id: 'dumpDate' satisfies SortField,
    header: 'Dump date',
    meta: {
      width: 118,
      resize: DATE_RESIZE,
      firstDirection: 'desc',
      muted: true,
      optional: true,
      dropBelow: 640,
      show: (paper) => formatDate(paper.dumpDate),
    },
  },
  {
    id: 'addedAt' satisfies SortField,
    header: 'Added',
    meta: {
      width: 118,
      resize: DATE_RESIZE,
      firstDirection: 'desc',
      muted: true,
      optional: true,
      dropBelow: 760,
      show: (paper) => (
        <span title={formatDateTime(paper.addedAt)}>{formatDate(paper.addedAt.slice(0, 10))}</span>
      ),
    },
  },
  {
    id: 'tags',
    header: 'Tags',
    meta: {
      width: { fr: 0.35 },
      resize: { min: 48, max: 640 },
      firstDirection: 'asc',
      muted: true,
      optional: true,
      unsorted: true,
      dropBelow: 700,
      shownWhen: (stats) => stats.withTags > 0,
      show: (paper) =>
        paper.tags.length > 0 ? (
          <span className={styles.tags} title={paper.tags.join(', ')}>
            {paper.tags.map((t) => (
              <span key={t} className={styles.tag}>
                {t}
              </span>
            ))}
          </span>
        ) : null,
    },
  },
  dateColumn('statusChangedAt', 'Status changed', 130, false),
  dateColumn('readAt', 'Read on', 118, true),
  {
    id: 'hasNote',
    header: 'Note',
    meta: {
      width: 56,
      resize: { min: 40, max: 120 },
      firstDirection: 'desc',
      muted: true,
      optional: true,
      hiddenByDefault: true,
      unsorted: true,
      show: (paper) =>
        paper.hasNote ? (
          <span aria-label="has a note" title="Has a note">
            ✎
          </span>
        ) : null,
    },
  },
  metadataColumn('year', 'Year', 80, { min: 60, max: 120 }, 'desc'),
  metadataColumn('venue', 'Venue', { fr: 0.3 }, { min: 60, max: 640 }, 'asc'),
  metadataColumn('arxivId', 'arXiv', 120, { min: 96, max: 240 }, 'desc'),
  metadataColumn('doi', 'DOI', { fr: 0.3 }, { min: 60, max: 640 }, 'asc'),
]

/** A column's name in words ("Starred" for the ★), for labels and the Columns menu. */
export function columnName(column: ColumnDef<Cell>): string {
  return column.meta?.label ?? (typeof column.header === 'string' ? column.header : column.id!)
}

/** Columns the user has shown or hidden (the Columns menu), by id; others follow their defaults. */
export type ColumnChoices = Record<string, boolean>

/**
 * Which columns show: the user's choice where there is one; else those not hidden by default
 * whose condition (if any) holds for this library.
 */
export function columnVisibility(
  stats: LibraryStats | undefined,
  choices: ColumnChoices = {},
  /** The table's width (px): narrow, the secondary columns make way for the title. */
  width = Infinity,
): Record<string, boolean> {
  return Object.fromEntries(
    paperColumns.map((c) => {
      const meta = c.meta!
      if (meta.dropBelow !== undefined && width < meta.dropBelow) return [c.id, false]
      const chosen = meta.optional ? choices[c.id!] : undefined
      if (chosen !== undefined) return [c.id, chosen]
      return [
        c.id,
        !meta.hiddenByDefault && (!meta.shownWhen || (!!stats && meta.shownWhen(stats))),
      ]
    }),
  )
}
