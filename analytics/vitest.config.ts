import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'analytics',
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    // Hooks start servers, engines and browsers: as long as a test may take (vitest's default is 10 s).
    hookTimeout: 30_000,
  },
});
