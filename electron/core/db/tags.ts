// Tags ignore case, in every script. SQLite's NOCASE (the collation of `paper_tags.tag`) folds
// only A–Z, so “Über” and “über”, or “Σ” and “σ”, would be two tags to it. Where a tag's name
// has a letter NOCASE cannot fold, it is compared by `lectern_fold` (registered in Db), which
// folds as JavaScript's toLowerCase does — the same fold the renderer and the mutations use.
import type { SqlValue } from 'sql.js'
import { tagKey } from '../../../shared/search'
import type { Db } from './database'

export { tagKey }

/** Whether NOCASE folds this name as tagKey does (it has no cased letter beyond ASCII). */
function asciiFolds(name: string): boolean {
  for (const c of name) {
    if (c.charCodeAt(0) > 0x7f && tagKey(c) !== c.toUpperCase()) return false
  }
  return true
}

/**
 * SQL for the papers with a tag (or, with `prefix`, a tag that begins so), in any case:
 * `id IN (…)`. Pushes its parameters.
 */
export function tagCondition(name: string, prefix: boolean, params: SqlValue[]): string {
  if (asciiFolds(name)) {
    if (prefix) {
      params.push(`${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
      return `id IN (SELECT paper_id FROM paper_tags WHERE tag LIKE ? ESCAPE '\\')`
    }
    params.push(name)
    return 'id IN (SELECT paper_id FROM paper_tags WHERE tag = ?)'
  }
  const key = tagKey(name)
  if (prefix) {
    // SQLite's length() and substr() count characters (JavaScript's length counts UTF-16 units).
    params.push(key, key)
    return `id IN (SELECT paper_id FROM paper_tags
      WHERE substr(lectern_fold(tag), 1, length(?)) = ?)`
  }
  params.push(key)
  return 'id IN (SELECT paper_id FROM paper_tags WHERE lectern_fold(tag) = ?)'
}

/** How the library already spells a tag given in any case; null when no paper has it. */
export function librarySpelling(db: Db, name: string): string | null {
  const exact = db.value('SELECT tag FROM paper_tags WHERE tag = ? LIMIT 1', [name])
  if (exact !== null || asciiFolds(name)) return exact === null ? null : String(exact)
  const found = db.value('SELECT tag FROM paper_tags WHERE lectern_fold(tag) = ? LIMIT 1', [
    tagKey(name),
  ])
  return found === null ? null : String(found)
}
