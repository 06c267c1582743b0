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
    // Hooks start servers, engines and browsers: as long as a test may take (vitest's default is 10 s).
    hookTimeout: 20_000,
    // Waits on the page follow a server round trip; vitest's default of 1 s is too short on a loaded machine.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
