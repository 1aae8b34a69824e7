/** What the sidebar just did, as its toast says it; `undo` while it can be taken back. */
export interface Notice {
  message: string
  undo?: () => void
}
