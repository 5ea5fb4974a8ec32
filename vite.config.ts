import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

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

const SERVICE_WORKER = 'service-worker';
const SERVICE_WORKER_FILE = `${SERVICE_WORKER}.js`;
const MANIFEST_PLACEHOLDER = /(["'`])__PINGAN_PRECACHE_MANIFEST__\1/;
/** Loaded on first use by video dispatch only: not worth every phone's storage. */
const NOT_PRECACHED = /^assets\/hls[.-]/;

/**
 * Hands the service worker (client/offline/service-worker.ts) the build's own file list,
 * and a version that changes whenever a file does, so browsers install the new shell.
 * After Vite's HTML plugin (`post`), so index.html is in the bundle.
 */
function precacheManifest(): Plugin {
  return {
    name: 'pingan-precache-manifest',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const worker = bundle[SERVICE_WORKER_FILE];
      if (worker?.type !== 'chunk' || worker.imports.length > 0 || !MANIFEST_PLACEHOLDER.test(worker.code)) {
        this.error(`${SERVICE_WORKER_FILE} must be one self-contained chunk holding the manifest placeholder`);
      }
      const files = Object.keys(bundle)
        .filter((name) => name !== SERVICE_WORKER_FILE && !NOT_PRECACHED.test(name))
        .sort();
      const hash = createHash('sha256');
      for (const name of files) {
        const output = bundle[name]!;
        hash.update(name).update(output.type === 'chunk' ? output.code : output.source);
      }
      const manifest = { version: hash.digest('hex').slice(0, 16), files: files.map((name) => `/${name}`) };
      worker.code = worker.code.replace(MANIFEST_PLACEHOLDER, JSON.stringify(JSON.stringify(manifest)));
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  // Government intranets have no CDN: everything the page needs is bundled.
  publicDir: false,
  plugins: [vue(), precacheManifest()],
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
      input: {
        index: fileURLToPath(new URL('./client/index.html', import.meta.url)),
        [SERVICE_WORKER]: fileURLToPath(new URL('./client/offline/service-worker.ts', import.meta.url)),
      },
      output: {
        // At the root, so its scope is the whole app; under a fixed name, so browsers find its updates.
        entryFileNames: (chunk) => (chunk.name === SERVICE_WORKER ? SERVICE_WORKER_FILE : 'assets/[name]-[hash].js'),
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
