/**
 * The web UI's build (docs/web-ui.md): web/index.html + web/src → web/dist, served as static files
 * by src/api/routes/web.ts. Run by `npm install` (the `prepare` script) and `npm run build`.
 * Asset URLs are relative (`./ui/…`) so the page works behind a proxy under any path; hashed
 * file names let the server cache them for good while the page itself is never cached.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'ui',
    target: 'es2022',
    sourcemap: false,
    // echarts is the evaluation view's own chunk (loaded when a result is shown).
    chunkSizeWarningLimit: 900,
    modulePreload: { polyfill: false },
  },
});
