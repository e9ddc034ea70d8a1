import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dev server proxies every backend path to the gateway, so the browser sees one origin just
// like in production (where the gateway or nginx serves both the app and the APIs).
const gatewayUrl = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';
const proxiedPaths = ['/api', '/ai', '/mcp', '/health'];

export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['@codiesvibe/source'] },
  server: {
    port: Number(process.env.PORT ?? 3000),
    host: process.env.HOST ?? '0.0.0.0',
    strictPort: true,
    proxy: Object.fromEntries(
      proxiedPaths.map((path) => [path, { target: gatewayUrl, changeOrigin: false }]),
    ),
  },
  preview: { port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '0.0.0.0', strictPort: true },
  // 'hidden': maps for error reports, without pointing every visitor's browser at the sources.
  build: { target: 'es2022', sourcemap: 'hidden', outDir: 'dist', emptyOutDir: true },
});
