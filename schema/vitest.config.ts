import { defineConfig } from 'vitest/config';
import { singleGraphql } from '../vitest.shared.ts';

export default defineConfig({
  resolve: singleGraphql,
  test: {
    name: 'schema',
    include: ['src/**/*.test.ts'],
    testTimeout: 20_000,
    // Hooks start servers, engines and browsers: as long as a test may take (vitest's default is 10 s).
    hookTimeout: 20_000,
  },
});
