/**
 * Two projects: `suite` (everything under test/ but the faults) and `faults` (test/faults: a worker killed, decisions
 * racing, reconciliation), which `npm run test:faults` runs alone. `npm test` runs both, as CI does.
 * @type {import('jest').Config}
 */
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/helpers/quiet-runtime.ts'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'suite', roots: ['<rootDir>/test'], testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/'] },
    { ...common, displayName: 'faults', roots: ['<rootDir>/test/faults'], testMatch: ['**/*.test.ts'] },
  ],
  testTimeout: 120000,
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  maxWorkers: 2,
  // Temporal's native runtime keeps a thread-safe handle open for the life of the process.
  forceExit: true,
};
