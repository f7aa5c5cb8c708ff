import { defineConfig } from "vite";

// Everything is bundled: pages of personal data load nothing from outside, and the strict
// Content-Security-Policy svp sends (script-src 'self', style-src 'self') forbids inline
// code, so no module preload polyfill is injected and assets stay in files.
export default defineConfig({
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
