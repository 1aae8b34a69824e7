// A paper's tags: each a chip with a remove button, and a field that adds one, suggesting the
// library's tags as the user types (an ARIA combobox: ↓/↑ choose, Enter adds, Escape closes).
// A name the library does not have yet makes a new tag.
import { useEffect, useId, useImperativeHandle, useLayoutEffect, useRef, useState } from 'react'
import type { Ref } from 'react'
import type { TagInfo } from '../../../shared/domain'
import { MAX_TAG_CHARS, normalizeTag } from '../../../shared/search'
import { useTags } from '../hooks/queries'
import { useReadOnly } from '../hooks/useReadOnly'
import { classNames } from '../styles/classNames'
import buttonStyles from '../styles/button.module.css'
import styles from './TagEditor.module.css'

/** How many suggestions the list shows at most. */
const MAX_SUGGESTIONS = 8

/** Below this much room under the field (px), the list opens above it when there is more there. */
const ROOM_BELOW = 160

/**
 * Puts the list beside the field in the window's own coordinates: the pane's body scrolls and
 * would clip a list placed inside it, and at 800×600 the field sits near its bottom.
 */
function place(list: HTMLElement, field: HTMLElement): void {
  const at = field.getBoundingClientRect()
  const below = window.innerHeight - at.bottom
  const up = below < ROOM_BELOW && at.top > below
  const gap = 2
  list.style.left = `${Math.max(0, at.left)}px`
  list.style.minWidth = `${at.width}px`
  list.style.top = up ? '' : `${at.bottom + gap}px`
  list.style.bottom = up ? `${window.innerHeight - at.top + gap}px` : ''
  list.style.setProperty('--room', `${Math.max(0, (up ? at.top : below) - 2 * gap - 8)}px`)
}

/** What the pane may ask of the editor (the `t` key). */
export interface TagEditorHandle {
  focus: () => void
}

interface Props {
  /** The paper's tags. */
  tags: string[]
  onAdd: (name: string) => void
  onRemove: (name: string) => void
  ref?: Ref<TagEditorHandle>
}

type Option = { kind: 'tag'; name: string; count: number } | { kind: 'new'; name: string }

/** Tags are one tag whatever their case: "RL" and "rl" are the same. */
const fold = (name: string): string => name.toLocaleLowerCase()

/**
 * What the list offers for `typed`: the library's tags that contain it (those that start with it
 * first, then the most used), less those the paper has; then a new tag when no tag has that name.
 */
function suggestions(typed: string, library: TagInfo[], have: string[]): Option[] {
  const name = normalizeTag(typed)
  const wanted = fold(name)
  const taken = new Set(have.map(fold))
  const found = library
    .filter((t) => !taken.has(fold(t.name)) && fold(t.name).includes(wanted))
    .sort(
      (a, b) =>
        Number(fold(b.name).startsWith(wanted)) - Number(fold(a.name).startsWith(wanted)) ||
        b.count - a.count ||
        a.name.localeCompare(b.name),
    )
    .slice(0, MAX_SUGGESTIONS)
    .map((t): Option => ({ kind: 'tag', name: t.name, count: t.count }))
  const exists = library.some((t) => fold(t.name) === wanted) || taken.has(wanted)
  return name && !exists ? [...found, { kind: 'new', name }] : found
}

export function TagEditor({ tags, onAdd, onRemove, ref }: Props) {
  const readOnly = useReadOnly()
  const library = useTags()
  const [text, setText] = useState('')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(-1)
  const input = useRef<HTMLInputElement>(null)
  const chips = useRef<HTMLUListElement>(null)
  const list = useRef<HTMLUListElement>(null)
  const id = useId()
  const listId = `${id}-list`
  const optionId = (i: number): string => `${id}-option-${i}`

  useImperativeHandle(ref, () => ({ focus: () => input.current?.focus() }), [])

  const options = open ? suggestions(text, library.data ?? [], tags) : []
  const shown = open && options.length > 0
  const activeIndex = active < options.length ? active : -1

  // While the list shows, it follows the field as the pane scrolls or the window changes size.
  useLayoutEffect(() => {
    if (!shown) return
    const follow = (): void => {
      if (list.current && input.current) place(list.current, input.current)
    }
    follow()
    window.addEventListener('scroll', follow, true)
    window.addEventListener('resize', follow)
    return () => {
      window.removeEventListener('scroll', follow, true)
      window.removeEventListener('resize', follow)
    }
  }, [shown, options.length])

  // The chosen suggestion stays in sight in a list that scrolls.
  useEffect(() => {
    if (activeIndex < 0) return
    document.getElementById(`${id}-option-${activeIndex}`)?.scrollIntoView({ block: 'nearest' })
  }, [id, activeIndex])

  const close = (): void => {
    setOpen(false)
    setActive(-1)
  }

  const add = (name: string): void => {
    const tag = normalizeTag(name)
    if (tag && !tags.some((t) => fold(t) === fold(tag))) onAdd(tag)
    setText('')
    close()
  }

  const remove = (name: string, index: number): void => {
    onRemove(name)
    // The focus goes to the next chip's button (or the one before, or the field), not to the page.
    const buttons = chips.current?.querySelectorAll('button') ?? []
    const next = buttons[index + 1] ?? buttons[index - 1]
    if (next) next.focus()
    else input.current?.focus()
  }

  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>): void => {
    switch (event.key) {
      case 'ArrowDown': {
        event.preventDefault()
        if (!open) {
          setOpen(true)
          setActive(0)
        } else if (options.length > 0) setActive((activeIndex + 1) % options.length)
        break
      }
      case 'ArrowUp': {
        event.preventDefault()
        if (!open) {
          setOpen(true)
          setActive(-1)
        } else if (options.length > 0)
          setActive(activeIndex <= 0 ? options.length - 1 : activeIndex - 1)
        break
      }
      case 'Enter': {
        event.preventDefault()
        const option = activeIndex >= 0 ? options[activeIndex] : undefined
        add(option ? option.name : text)
        break
      }
      case 'Escape': {
        // One step back at a time: the list, then the text, then the field itself.
        event.preventDefault()
        if (shown) close()
        else if (text) setText('')
        else input.current?.blur()
        break
      }
      case 'Tab':
        close()
        break
    }
  }

  return (
    <div className={styles.editor} data-testid="tags">
      {tags.length > 0 && (
        <ul className={styles.chips} aria-label="Tags" ref={chips}>
          {tags.map((tag, i) => (
            <li key={tag} className={styles.chip}>
              <span className={styles.name}>{tag}</span>
              {!readOnly && (
                <button
                  type="button"
                  className={classNames(buttonStyles.icon, styles.remove)}
                  aria-label={`Remove tag “${tag}”`}
                  title={`Remove tag “${tag}”`}
                  onClick={() => remove(tag, i)}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && (
        <div className={styles.combo}>
          <input
            ref={input}
            className={styles.input}
            type="text"
            role="combobox"
            aria-label="Add tag"
            aria-autocomplete="list"
            aria-expanded={shown}
            aria-controls={listId}
            aria-activedescendant={shown && activeIndex >= 0 ? optionId(activeIndex) : undefined}
            placeholder="Add tag…"
            title="Add a tag (t)"
            maxLength={MAX_TAG_CHARS}
            autoComplete="off"
            spellCheck={false}
            value={text}
            onChange={(e) => {
              setText(e.target.value)
              setOpen(e.target.value.trim() !== '')
              setActive(-1)
            }}
            onKeyDown={onKeyDown}
            onBlur={close}
          />
          <ul
            ref={list}
            id={listId}
            role="listbox"
            aria-label="Tag suggestions"
            className={styles.list}
            hidden={!shown}
          >
            {options.map((option, i) => (
              <li
                key={`${option.kind}:${option.name}`}
                id={optionId(i)}
                role="option"
                aria-selected={i === activeIndex}
                className={classNames(styles.option, i === activeIndex && styles.active)}
                // Keeps the focus in the field, so the list is not closed before the click.
                onMouseDown={(e) => e.preventDefault()}
                onMouseMove={() => setActive(i)}
                onClick={() => add(option.name)}
              >
                {option.kind === 'tag' ? (
                  <>
                    <span className={styles.name}>{option.name}</span>
                    <span className={styles.count} aria-hidden="true">
                      {option.count}
                    </span>
                  </>
                ) : (
                  <span className={styles.name}>New tag “{option.name}”</span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {library.isError && (
        <p className={classNames('error', 'small', styles.note)}>
          No suggestions: {library.error.message}
        </p>
      )}
    </div>
  )
}
