// A file's text as a string (`import text from './file.md?raw'`), read by Vite at build time.
declare module '*?raw' {
  const text: string
  export default text
}
