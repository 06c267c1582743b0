import { defineConfig } from 'vitest/config';

/** The deployment's checks: the renderer's own tests and the rendered manifests, compose file and Dockerfiles. */
export default defineConfig({
  test: {
    name: 'deploy',
    include: ['tools/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    // Hooks start servers, engines and browsers: as long as a test may take (vitest's default is 10 s).
    hookTimeout: 60_000,
  },
});
