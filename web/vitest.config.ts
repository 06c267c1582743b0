import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Pure tests (`src/**\/*.test.ts[x]`: reducers, machines, formatting, static rendering) and the
 * end-to-end tests (`e2e/*.e2e.test.ts`: a real reVo server, `next build` + `next start`, chromium).
 */
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    name: 'web',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'e2e/**/*.e2e.test.ts'],
    testTimeout: 20_000,
  },
});
