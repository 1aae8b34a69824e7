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
    files: ['bin/**/*.cjs', 'scripts/**/*.cjs'],
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
  {
    files: ['electron/core/**/*.ts', 'electron/cli/**/*.ts'],
    rules: restrict(
      [
        'electron',
        'react',
        'react-dom',
        '**/renderer/**',
        '**/electron/main/**',
        '**/electron/preload/**',
      ],
      'The library core runs without Electron (CLI, tests, browser host).',
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
    files: ['tests/**/*.ts', 'scripts/**/*', 'electron/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
)
