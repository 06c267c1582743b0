import { defineConfig } from 'vitest/config';
import { singleGraphql } from '../vitest.shared.ts';

export default defineConfig({
  resolve: singleGraphql,
  test: {
    name: 'server',
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
