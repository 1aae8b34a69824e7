import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

// One build produces the three Electron bundles. The main bundle has a second entry, the
// command line (`lectern`), because it is the same core without Electron, and a third, the
// thread that reads large dumps.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The main bundle is CommonJS. @retorquere/bibtex-parser's CommonJS build cannot be
      // required (a dependency of it, tiny-merge-patch, is ESM only), so it is bundled in from
      // its ESM build instead of being left to require() at run time.
      externalizeDeps: { exclude: ['@retorquere/bibtex-parser'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          cli: resolve(__dirname, 'electron/cli/index.ts'),
          // The thread that reads a large dump while the app keeps answering (readOffThread.ts).
          parseWorker: resolve(__dirname, 'electron/core/store/parseWorker.ts'),
          // The thread that writes a backup or a new snapshot from the library's files
          // (rebuildOffThread.ts).
          rebuildWorker: resolve(__dirname, 'electron/core/store/rebuildWorker.ts'),
        },
        // Shared chunks sit beside the entries, so `__dirname` is out/main in all of them.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require anything: bundle it whole.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // LECTERN_NO_MINIFY=1 keeps the names, for reading a profile of the renderer.
      minify: !process.env.LECTERN_NO_MINIFY,
      rollupOptions: {
        input: { index: resolve(__dirname, 'renderer/index.html') },
      },
    },
  },
})
