import { defineConfig } from 'vitest/config';

// `npm run bench`: measured figures for the mirror's performance goals (issue 4). Not part of
// `npm test`: speed goals live here, never in timed unit tests.
export default defineConfig({
  test: {
    include: ['test/bench/**/*.bench.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 900_000,
  },
});
