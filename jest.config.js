/**
 * Three suites, told apart by file suffix (see README "Tests"):
 *   *.unit.spec.ts  pure logic, no I/O          npm run test:unit
 *   *.int.spec.ts   real PostgreSQL and Redis   npm run test:int
 *   *.e2e.spec.ts   real HTTP, real processes   npm run test:e2e
 *   *.faults.spec.ts crashes, outages, hostile input; writes test/faults/report.md
 *                                               npm run test:faults
 * Nest 12 is ESM-only, so Jest runs in ESM mode (node --experimental-vm-modules).
 */
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // The package by its name, as users import it, read from its sources: tests need no build.
    '^nestjs-protean$': '<rootDir>/libs/protean/src/index.ts',
    '^nestjs-protean/testing$': '<rootDir>/libs/protean/src/testing.ts',
    '^nestjs-protean/(server|observability|cli|cqrs)$': '<rootDir>/libs/protean/src/$1.ts',
    '^nestjs-protean/internal/(.*)\\.js$': '<rootDir>/libs/protean/src/$1',
    '^#bookshelf$': '<rootDir>/libs/bookshelf/src/index.ts',
    '^#bookshelf/(.*)$': '<rootDir>/libs/bookshelf/src/$1',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  testEnvironment: 'node',
  rootDir: '.',
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/libs/protean/dist/'],
};

export default {
  // jest-circus reads only the global testTimeout (a project's own is ignored): a minute covers
  // real processes on a loaded 2-core machine; the faults suite raises it in its setup file.
  testTimeout: 60_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/**/*.unit.spec.ts'] },
    {
      ...shared,
      displayName: 'int',
      testMatch: ['<rootDir>/**/*.int.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/**/*.e2e.spec.ts'],
      globalSetup: '<rootDir>/test/support/build.global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/no-leftover-processes.ts'],
    },
    {
      ...shared,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.faults.spec.ts'],
      globalSetup: '<rootDir>/test/support/build.global-setup.ts',
      globalTeardown: '<rootDir>/test/faults/support/report.global-teardown.ts',
      setupFilesAfterEnv: [
        '<rootDir>/test/support/no-leftover-processes.ts',
        '<rootDir>/test/faults/support/long-timeout.ts',
      ],
    },
  ],
};
