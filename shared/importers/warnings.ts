// Warnings travel with the import into the journal (as JSON), the database and the summary on
// screen, so a dump with a million flawed lines must not carry a million of them: the first
// ones say what is wrong and where, and a last one says how many more there were.
import type { ImportWarning } from '../domain'

export const MAX_WARNINGS = 100

export class Warnings {
  private readonly kept: ImportWarning[] = []
  private more = 0

  /** Goes on from a list that `list()` gave, whose last entry may count those not kept. */
  static from(list: readonly ImportWarning[]): Warnings {
    const warnings = new Warnings()
    warnings.kept.push(...list.slice(0, MAX_WARNINGS))
    const more = list[MAX_WARNINGS]
    if (more) warnings.more = Number(/\d+/.exec(more.message)?.[0] ?? 0)
    return warnings
  }

  add(line: number | null, message: () => string): void {
    // The message is built only for warnings that are kept.
    if (this.kept.length < MAX_WARNINGS) this.kept.push({ line, message: message() })
    else this.more += 1
  }

  list(): ImportWarning[] {
    if (this.more === 0) return [...this.kept]
    const more = `…and ${this.more} more warning${this.more === 1 ? '' : 's'} (only the first ${MAX_WARNINGS} are listed)`
    return [...this.kept, { line: null, message: more }]
  }
}
