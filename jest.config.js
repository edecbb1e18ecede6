/**
 * Jest runs in ESM mode (middy 7 is ESM-only) on the Node binary of the `node` devDependency, the major
 * the function deploys on: `npm test` calls `node`, and npm puts node_modules/.bin first on PATH.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  // Sources import each other as `./name.ts`; once compiled those specifiers may read `./name.js`.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  setupFiles: ['<rootDir>/test/support/aws-environment.ts'],
  // Tests are quiet unless they fail: one that prints without capturing it fails.
  setupFilesAfterEnv: ['<rootDir>/test/support/quiet-tests.ts'],
  testTimeout: 30_000,
};
