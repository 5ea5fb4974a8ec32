import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// The dev server hands every server-owned path to the API process so the client
// uses the same relative URLs in development and when served by the server itself.
// Keys end in `/`: Vite matches by prefix and also serves client sources by path,
// so a bare '/api' would also capture a client module such as /api-client.ts.
const apiTarget = process.env.PINGAN_API_URL ?? 'http://127.0.0.1:8080';
const proxied = { target: apiTarget, changeOrigin: false };
const proxy = {
  '/api/': { ...proxied, ws: true },
  '/tiles/': proxied,
  '/ogc/': proxied,
  '/ws': { ...proxied, ws: true },
};

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  // Government intranets have no CDN: everything the page needs is bundled.
  publicDir: false,
  plugins: [vue()],
  // vue-i18n feature flags: composition API only, no devtools hooks in production.
  define: {
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    // No source maps in the shipped bundle: security reviews (等保) flag exposed sources.
    sourcemap: false,
    // MapLibre alone is ~1 MB minified and cannot be split further; it is cached
    // separately (own chunk below), so its size is expected, not a regression.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl[\\/]/, priority: 2 },
            // Loaded on first use by video dispatch only: its own chunk, or the vendor group would put it on every page.
            { name: 'hls', test: /node_modules[\\/]hls\.js[\\/]/, priority: 2 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy,
  },
  preview: {
    port: 4173,
    strictPort: true,
    proxy,
  },
});
