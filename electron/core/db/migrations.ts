// The library's schema, one numbered step at a time. `PRAGMA user_version` records the last
// step applied; a library written by a newer Lectern is refused, never opened.
import type { Db } from './database'
import { LibraryError } from '../errors'
import { withoutUnstorable } from '../../../shared/text'

export interface Migration {
  version: number
  description: string
  up: (db: Db) => void
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'papers, imports and library metadata',
    up(db) {
      db.run(`
        CREATE TABLE meta (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        );
        CREATE TABLE imports (
          id INTEGER PRIMARY KEY,
          source TEXT NOT NULL,
          format TEXT NOT NULL,
          imported_at TEXT NOT NULL,
          added INTEGER NOT NULL,
          duplicates INTEGER NOT NULL,
          updated INTEGER NOT NULL,
          skipped INTEGER NOT NULL,
          warnings TEXT NOT NULL
        );
        CREATE TABLE papers (
          id INTEGER PRIMARY KEY,
          title TEXT NOT NULL,
          title_key TEXT NOT NULL,
          abstract TEXT NOT NULL DEFAULT '',
          status INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 4),
          note TEXT NOT NULL DEFAULT '',
          dump_date TEXT,
          dump_date_text TEXT,
          added_at TEXT NOT NULL,
          status_changed_at TEXT,
          note_updated_at TEXT,
          import_id INTEGER REFERENCES imports(id),
          arxiv_id TEXT,
          doi TEXT
        );
        CREATE UNIQUE INDEX papers_title_key ON papers(title_key);
        CREATE UNIQUE INDEX papers_arxiv_id ON papers(arxiv_id) WHERE arxiv_id IS NOT NULL;
        CREATE UNIQUE INDEX papers_doi ON papers(doi) WHERE doi IS NOT NULL;
        CREATE INDEX papers_by_title ON papers(title COLLATE NOCASE, id);
        CREATE INDEX papers_by_status ON papers(status, id);
        -- Newest first is the usual view; within one date, papers keep the dump's own order.
        CREATE INDEX papers_by_dump_date ON papers(dump_date DESC, id ASC);
        CREATE INDEX papers_by_added ON papers(added_at DESC, id ASC);
      `)
    },
  },
  {
    version: 2,
    description: 'status history: every change of reading status, with its time',
    up(db) {
      db.run(`
        CREATE TABLE status_history (
          id INTEGER PRIMARY KEY,
          paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
          status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 4),
          at TEXT NOT NULL
        );
        CREATE INDEX status_history_by_paper ON status_history(paper_id, at);
        -- Version 1 kept only the latest change; it becomes the first entry of each history.
        INSERT INTO status_history (paper_id, status, at)
          SELECT id, status, status_changed_at FROM papers WHERE status_changed_at IS NOT NULL;
      `)
    },
  },
  {
    version: 3,
    description: 'authors; deleted papers kept so that a deletion can be undone',
    up(db) {
      db.run(`
        ALTER TABLE papers ADD COLUMN authors TEXT NOT NULL DEFAULT '[]';
        CREATE INDEX papers_by_authors ON papers(authors COLLATE NOCASE, id);
        CREATE TABLE deletions (
          id INTEGER PRIMARY KEY,
          at TEXT NOT NULL,
          restored_at TEXT
        );
        -- Each deleted paper's row and status history, exactly as they were (JSON), until the
        -- deletion is undone. Ids of deleted papers are never given to new papers.
        CREATE TABLE deleted_papers (
          deletion_id INTEGER NOT NULL REFERENCES deletions(id),
          paper_id INTEGER NOT NULL,
          paper TEXT NOT NULL,
          history TEXT NOT NULL,
          PRIMARY KEY (deletion_id, paper_id)
        );
        CREATE INDEX deleted_papers_by_paper ON deleted_papers(paper_id);
      `)
    },
  },
  {
    version: 4,
    description:
      'paper metadata; the same title may name different papers; every import a paper was in',
    up(db) {
      db.run(`
        ALTER TABLE papers ADD COLUMN arxiv_version INTEGER;
        ALTER TABLE papers ADD COLUMN year INTEGER;
        ALTER TABLE papers ADD COLUMN venue TEXT;
        ALTER TABLE papers ADD COLUMN keywords TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE papers ADD COLUMN urls TEXT NOT NULL DEFAULT '[]';
        -- Two papers with the same title but different DOIs or arXiv ids are different papers:
        -- the title is a way to find a paper, no longer its identity.
        DROP INDEX papers_title_key;
        CREATE INDEX papers_by_title_key ON papers(title_key);
        -- No foreign key to papers: a deleted paper keeps its history for undo.
        CREATE TABLE paper_imports (
          paper_id INTEGER NOT NULL,
          import_id INTEGER NOT NULL REFERENCES imports(id),
          PRIMARY KEY (paper_id, import_id)
        ) WITHOUT ROWID;
        INSERT INTO paper_imports (paper_id, import_id)
          SELECT id, import_id FROM papers WHERE import_id IS NOT NULL;
      `)
    },
  },
  {
    version: 5,
    description: 'imports can be undone, and a large one is written in steps',
    up(db) {
      db.run(`
        -- 0 while an import written in steps is under way: one left so by a crash or a cancel
        -- is taken back when the library opens.
        ALTER TABLE imports ADD COLUMN complete INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE imports ADD COLUMN undone_at TEXT;
        -- Every field an import filled in on a paper that was already there, with the value it
        -- gave, so that undoing the import can empty it again (if it still holds that value).
        CREATE TABLE import_fills (
          import_id INTEGER NOT NULL REFERENCES imports(id),
          paper_id INTEGER NOT NULL,
          field TEXT NOT NULL,
          value,
          PRIMARY KEY (import_id, paper_id, field)
        ) WITHOUT ROWID;
        CREATE INDEX paper_imports_by_import ON paper_imports(import_id, paper_id);
      `)
    },
  },
  {
    version: 6,
    description: 'the metadata columns the table shows sort from an index',
    up(db) {
      db.run(`
        CREATE INDEX papers_by_year ON papers(year DESC, id ASC);
        CREATE INDEX papers_by_venue ON papers(venue COLLATE NOCASE, id);
        CREATE INDEX papers_by_arxiv_id ON papers(arxiv_id, id);
        CREATE INDEX papers_by_doi ON papers(doi, id);
        -- Which fields of a paper imports filled in (to keep aside what a later one had).
        CREATE INDEX import_fills_by_paper ON import_fills(paper_id, field);
      `)
    },
  },
  {
    version: 7,
    description: 'the import history says which dump dates each import brought',
    up(db) {
      db.run(`
        ALTER TABLE imports ADD COLUMN dump_dates TEXT NOT NULL DEFAULT '[]';
        -- Earlier imports: the dates of the papers they added.
        UPDATE imports SET dump_dates = COALESCE((
          SELECT json_group_array(d) FROM (
            SELECT DISTINCT dump_date AS d FROM papers
            WHERE papers.import_id = imports.id AND dump_date IS NOT NULL ORDER BY d)), '[]');
      `)
    },
  },
  {
    version: 8,
    description: 'stars, tags and full-text search',
    up(db) {
      db.run(`
        ALTER TABLE papers ADD COLUMN starred INTEGER NOT NULL DEFAULT 0;
        -- The paper's tags in the order they were given (JSON array); paper_tags indexes them.
        ALTER TABLE papers ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
        CREATE INDEX papers_by_starred ON papers(starred DESC, id);
        CREATE TABLE paper_tags (
          tag TEXT NOT NULL COLLATE NOCASE,
          paper_id INTEGER NOT NULL,
          PRIMARY KEY (tag, paper_id)
        ) WITHOUT ROWID;
        CREATE INDEX paper_tags_by_paper ON paper_tags(paper_id);
        CREATE TRIGGER paper_tags_insert AFTER INSERT ON papers WHEN new.tags <> '[]' BEGIN
          INSERT OR IGNORE INTO paper_tags (tag, paper_id) SELECT value, new.id FROM json_each(new.tags);
        END;
        CREATE TRIGGER paper_tags_update AFTER UPDATE OF tags ON papers BEGIN
          DELETE FROM paper_tags WHERE paper_id = old.id;
          INSERT OR IGNORE INTO paper_tags (tag, paper_id) SELECT value, new.id FROM json_each(new.tags);
        END;
        CREATE TRIGGER paper_tags_delete AFTER DELETE ON papers WHEN old.tags <> '[]' BEGIN
          DELETE FROM paper_tags WHERE paper_id = old.id;
        END;
        -- The search index reads its text from papers (no second copy); these triggers keep it
        -- in step with every change, whatever makes it.
        CREATE VIRTUAL TABLE papers_fts USING fts4(
          content="papers", title, abstract, authors, note, tags,
          tokenize=unicode61 "remove_diacritics=2");
        CREATE TRIGGER papers_fts_before_update BEFORE UPDATE OF title, abstract, authors, note, tags
        ON papers BEGIN
          DELETE FROM papers_fts WHERE docid = old.id;
        END;
        CREATE TRIGGER papers_fts_after_update AFTER UPDATE OF title, abstract, authors, note, tags
        ON papers BEGIN
          INSERT INTO papers_fts (docid, title, abstract, authors, note, tags)
            VALUES (new.id, new.title, new.abstract, new.authors, new.note, new.tags);
        END;
        CREATE TRIGGER papers_fts_before_delete BEFORE DELETE ON papers BEGIN
          DELETE FROM papers_fts WHERE docid = old.id;
        END;
        CREATE TRIGGER papers_fts_after_insert AFTER INSERT ON papers BEGIN
          INSERT INTO papers_fts (docid, title, abstract, authors, note, tags)
            VALUES (new.id, new.title, new.abstract, new.authors, new.note, new.tags);
        END;
        INSERT INTO papers_fts (papers_fts) VALUES ('rebuild');
        -- Word statistics of the index (how many papers have each word): "more like this".
        CREATE VIRTUAL TABLE papers_fts_terms USING fts4aux(papers_fts);
      `)
    },
  },
  {
    version: 9,
    description: 'the table sorts by when the status last changed',
    up(db) {
      db.run(`
        CREATE INDEX papers_by_status_changed ON papers(status_changed_at DESC, id ASC);
      `)
    },
  },
  {
    version: 10,
    description: 'text with NULs (or the marks of search hits) made findable',
    up(db) {
      // The search index stops reading a text at a NUL, so words after one were unfindable;
      // such characters are no longer stored (shared/text.ts, withoutUnstorable). Repaired in
      // JS: SQLite's own replace() and length() stop at a NUL too. The triggers re-index.
      const columns = ['title', 'abstract', 'authors', 'note', 'tags', 'venue'] as const
      const found = columns.map(
        (c) => `instr(${c}, char(0)) OR instr(${c}, char(2)) OR instr(${c}, char(3))`,
      )
      const rows = db.all<Record<(typeof columns)[number] | 'id', string | number | null>>(
        `SELECT id, ${columns.join(', ')} FROM papers WHERE ${found.join(' OR ')}`,
      )
      db.with(
        `UPDATE papers SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
        (update) => {
          for (const row of rows) {
            update.run([...columns.map((c) => withoutUnstorable(row[c])), row.id])
          }
        },
      )
    },
  },
  {
    version: 11,
    description: 'sync through a shared folder: this device, its changes, what others sent',
    up(db) {
      db.run(`
        -- Papers changed since the sync layer last recorded the library's own changes (only
        -- while sync is on: meta 'sync_device' names this device). The triggers catch every
        -- kind of change, whatever operation makes it.
        CREATE TABLE sync_dirty (paper_id INTEGER PRIMARY KEY) WITHOUT ROWID;
        CREATE TRIGGER sync_dirty_insert AFTER INSERT ON papers
        WHEN EXISTS (SELECT 1 FROM meta WHERE key = 'sync_device') BEGIN
          INSERT OR IGNORE INTO sync_dirty (paper_id) VALUES (new.id);
        END;
        CREATE TRIGGER sync_dirty_update AFTER UPDATE OF status, starred, tags, note ON papers
        WHEN EXISTS (SELECT 1 FROM meta WHERE key = 'sync_device') BEGIN
          INSERT OR IGNORE INTO sync_dirty (paper_id) VALUES (new.id);
        END;
        CREATE TRIGGER sync_dirty_delete AFTER DELETE ON papers
        WHEN EXISTS (SELECT 1 FROM meta WHERE key = 'sync_device') BEGIN
          INSERT OR IGNORE INTO sync_dirty (paper_id) VALUES (old.id);
        END;
        -- The identity each paper has for sync (its arXiv id, DOI or title as first recorded),
        -- kept for deleted papers too.
        CREATE TABLE sync_keys (paper_id INTEGER PRIMARY KEY, pkey TEXT NOT NULL);
        CREATE INDEX sync_keys_by_key ON sync_keys(pkey);
        -- This device's operations, by counter (what it writes to its own folder).
        CREATE TABLE sync_log (counter INTEGER PRIMARY KEY, op TEXT NOT NULL);
        -- Every other device, and how many of its operations are applied here.
        CREATE TABLE sync_peers (device TEXT PRIMARY KEY, applied INTEGER NOT NULL) WITHOUT ROWID;
        -- The merged state, by paper identity (see db/sync.ts).
        CREATE TABLE sync_papers (pkey TEXT PRIMARY KEY, stamp TEXT NOT NULL, paper TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE sync_touch (pkey TEXT NOT NULL, device TEXT NOT NULL, counter INTEGER NOT NULL,
          PRIMARY KEY (pkey, device)) WITHOUT ROWID;
        CREATE TABLE sync_deletes (pkey TEXT NOT NULL, op_id TEXT NOT NULL, seen TEXT NOT NULL,
          PRIMARY KEY (pkey, op_id)) WITHOUT ROWID;
        CREATE TABLE sync_fields (pkey TEXT NOT NULL, field TEXT NOT NULL, stamp TEXT NOT NULL,
          value TEXT NOT NULL, PRIMARY KEY (pkey, field)) WITHOUT ROWID;
        CREATE TABLE sync_tags (pkey TEXT NOT NULL, tag_key TEXT NOT NULL, add_id TEXT NOT NULL,
          stamp TEXT, spelling TEXT, removed INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (pkey, tag_key, add_id)) WITHOUT ROWID;
        CREATE TABLE sync_notes (pkey TEXT NOT NULL, vid TEXT NOT NULL, stamp TEXT NOT NULL,
          device TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (pkey, vid)) WITHOUT ROWID;
        CREATE TABLE sync_note_bases (pkey TEXT NOT NULL, vid TEXT NOT NULL,
          PRIMARY KEY (pkey, vid)) WITHOUT ROWID;
        -- Conflict versions of a paper's note the user kept or discarded, until recorded.
        CREATE TABLE sync_resolve (paper_id INTEGER NOT NULL, vid TEXT NOT NULL,
          PRIMARY KEY (paper_id, vid)) WITHOUT ROWID;
      `)
    },
  },
  {
    version: 12,
    description: 'the papers with a note are found without reading every paper',
    up(db) {
      // `has:note` (and its count) read every row of the table: 80-130 ms at 100,000 papers.
      // Only the papers with a note are in this index, newest first as a search without words
      // lists them. The condition must stay the one search.ts writes for has:note.
      db.run(`
        CREATE INDEX papers_with_note ON papers(added_at DESC, id ASC) WHERE note <> '';
      `)
    },
  },
  {
    version: 13,
    description: 'sync: the other identities a paper is known by on other devices',
    up(db) {
      db.run(`
        -- A paper another device knows by another key (its DOI where this library has its arXiv
        -- id, say): the changes made under either key are the paper's (see syncMerge.ts).
        CREATE TABLE sync_aliases (pkey TEXT NOT NULL, paper_id INTEGER NOT NULL,
          PRIMARY KEY (pkey, paper_id)) WITHOUT ROWID;
        CREATE INDEX sync_aliases_by_paper ON sync_aliases(paper_id);
      `)
    },
  },
]

export const LATEST_VERSION = MIGRATIONS.length

export function schemaVersion(db: Db): number {
  return Number(db.value('PRAGMA user_version'))
}

/** Brings the schema up to date. Returns true when anything was applied. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): boolean {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.version} is out of order`)
  })
  const current = schemaVersion(db)
  const latest = migrations.length
  if (current > latest) {
    throw new LibraryError(
      'library-error',
      `this library was written by a newer version of Lectern (schema ${current}; this version knows up to ${latest}). Update Lectern to open it.`,
    )
  }
  if (current === latest) return false
  db.transaction(() => {
    for (const m of migrations.slice(current)) {
      m.up(db)
      db.run(`PRAGMA user_version = ${m.version}`)
    }
  })
  return true
}
