import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Engine tests are CPU-bound; the HTTP and end-to-end tests start child processes.
    // Two cores: keep the pool small so timings of child processes stay sane.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
