import { defineConfig } from 'vitest/config';
import { singleGraphql } from '../vitest.shared.ts';

export default defineConfig({
  resolve: singleGraphql,
  test: {
    name: 'server',
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    // Hooks start servers, engines and browsers: as long as a test may take (vitest's default is 10 s).
    hookTimeout: 60_000,
  },
});
