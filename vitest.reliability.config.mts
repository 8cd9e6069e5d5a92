import { defineConfig } from 'vitest/config';

/** The heavy suites (`npm run test:reliability`): the real process under SIGKILL, three instances, load. */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts', 'test/security/hostileInput.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 900_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One suite at a time: they measure, and the machine has two cores.
    fileParallelism: false,
    env: { FUZZ_RUNS: '200' },
  },
});
