// Lint rules, including the runtime boundaries: shared/ is pure, the core never imports
// Electron, and the renderer knows only the DOM and the contract.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'net',
  'url',
  'util',
  'zlib',
  'stream',
]

/** The core's layers, lowest first. */
const CORE_LAYERS = ['db', 'store', 'sync', 'safety', 'api']

/** The Electron side's folders that hold hosts or UI, which the core never imports. */
const HOSTS = ['http', 'cli', 'main', 'preload', 'renderer']

/** Core features above the contract: they use it (core/api) as a host does, and none uses them. */
const ABOVE_API = ['inbox']

/**
 * An import specifier that passes through any of these folders, however it is written
 * (`../store`, `../../core/store/library`, `.././store/x`, `../db/../store/x`). `shared/`
 * holds none of these folders (its `api.ts` is a file), so specifiers into it never match.
 */
const through = (folders) => `^(?!.*(^|/)shared(/|$)).*(^|/)(${folders.join('|')})(/|$)`

/** Every kind of source file, so a .mts or .js file cannot slip past a boundary. */
const SOURCES = '**/*.{ts,tsx,mts,cts,js,mjs,cjs}'

const restrictBoth = (packages, folders, message) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        ...(packages.length ? [{ group: packages, message }] : []),
        ...(folders.length ? [{ regex: through(folders), message }] : []),
      ],
    },
  ],
})

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
})

export default tseslint.config(
  {
    ignores: ['node_modules', 'out', 'dist', 'release', 'test-results', 'playwright-report'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always'],
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    // CommonJS run by Node as it is: the command line's entry, scripts', and processes tests start.
    files: ['bin/**/*.cjs', 'scripts/**/*.cjs', 'tests/helpers/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: restrict(
      [
        'electron',
        'react',
        'react-dom',
        'sql.js',
        ...NODE_BUILTINS,
        '**/electron/**',
        '**/renderer/**',
      ],
      'shared/ is pure: no Electron, Node, DOM or UI code.',
    ),
  },
  // The core's layers, lowest first: db (SQL, migrations), store (snapshot, journal, lock,
  // library), sync (the sync folder), safety (backups, recovery, sessions), api (the contract's handlers). A layer
  // imports only the ones below it; none imports Electron, the UI or a host.
  ...CORE_LAYERS.map((layer, i) => ({
    files: [`electron/core/${layer}/${SOURCES}`],
    rules: restrictBoth(
      ['electron', 'react', 'react-dom'],
      [...HOSTS, ...CORE_LAYERS.slice(i + 1), ...ABOVE_API],
      `electron/core/${layer} may use only the layers below it (${CORE_LAYERS.slice(0, i).join(', ') || 'none'}) and never Electron, the UI or a host.`,
    ),
  })),
  {
    files: [`electron/core/*.{ts,mts,cts,js,mjs,cjs}`],
    rules: restrictBoth(
      ['electron', 'react', 'react-dom'],
      [...HOSTS, ...CORE_LAYERS, ...ABOVE_API],
      'electron/core/*.ts (errors, paths) is used by every layer and uses none.',
    ),
  },
  // The watched inbox imports through the contract's dispatcher, like a host; the hosts use it.
  {
    files: [`electron/core/inbox/${SOURCES}`],
    rules: restrictBoth(
      ['electron', 'react', 'react-dom'],
      [...HOSTS, 'db', 'store', 'safety'],
      'electron/core/inbox imports through the contract (core/api), never below it, and never Electron, the UI or a host.',
    ),
  },
  // The hosts reach the library through the contract's dispatcher, never its SQL or storage.
  {
    files: [`electron/http/${SOURCES}`],
    rules: restrictBoth(
      ['electron', 'react', 'react-dom'],
      ['cli', 'main', 'preload', 'renderer', 'db', 'store'],
      'The browser host serves the contract (core/api) and nothing below it.',
    ),
  },
  {
    files: [`electron/cli/${SOURCES}`],
    rules: restrictBoth(
      ['electron', 'react', 'react-dom'],
      ['main', 'preload', 'renderer', 'db', 'store'],
      'The command line calls the contract (core/api) and nothing below it.',
    ),
  },
  {
    files: [`electron/main/${SOURCES}`],
    rules: restrictBoth(
      ['react', 'react-dom'],
      ['cli', 'renderer', 'db', 'store'],
      'The Electron shell binds the contract (core/api); it does not reach below it.',
    ),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: restrict(
      ['sql.js', 'zod', ...NODE_BUILTINS, '**/core/**', '**/renderer/**'],
      'The sandboxed preload exposes named methods only; it bundles nothing else.',
    ),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // About the React Compiler, which this project does not use; TanStack Virtual is fine here.
      'react-hooks/incompatible-library': 'off',
      ...restrict(
        ['electron', 'sql.js', 'zod', ...NODE_BUILTINS, '**/electron/**'],
        'The renderer knows the DOM and the contract (shared/), nothing else.',
      ),
    },
  },
  {
    files: ['tests/**/*.ts', 'testkit/**/*.ts', 'scripts/**/*', 'electron/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  // Tests and scripts share what both need through testkit/, never each other.
  {
    files: ['scripts/**/*'],
    rules: restrict(['**/tests/**'], 'scripts/ may not import tests/; share through testkit/.'),
  },
  {
    files: ['tests/**/*.ts'],
    rules: restrict(['**/scripts/**'], 'tests/ may not import scripts/; share through testkit/.'),
  },
  {
    files: ['testkit/**/*.ts'],
    rules: restrict(
      ['**/tests/**', '**/scripts/**'],
      'testkit/ is shared by tests/ and scripts/ and imports neither.',
    ),
  },
)
