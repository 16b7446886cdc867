/**
 * Three projects: `suite` (everything under test/ but the faults and the fuzzer), `faults` (test/faults: a worker
 * killed, Temporal restarted, the database cut, decisions racing, reconciliation), which `npm run test:faults` runs
 * alone, and `fuzz` (test/fuzz: schemathesis against the running API), which `npm run test:fuzz` runs alone. `npm test`
 * runs all three, as CI does.
 * @type {import('jest').Config}
 */
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/helpers/quiet-runtime.ts'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'suite', roots: ['<rootDir>/test'], testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/', '<rootDir>/test/fuzz/'] },
    { ...common, displayName: 'faults', roots: ['<rootDir>/test/faults'], testMatch: ['**/*.test.ts'] },
    { ...common, displayName: 'fuzz', roots: ['<rootDir>/test/fuzz'], testMatch: ['**/*.test.ts'] },
  ],
  testTimeout: 120000,
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  maxWorkers: 2,
  // Temporal's native runtime keeps a thread-safe handle open for the life of the process.
  forceExit: true,
};
