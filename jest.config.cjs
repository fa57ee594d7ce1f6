/** Jest runs the TypeScript sources directly; `pnpm typecheck` type-checks them first. */
module.exports = {
  testEnvironment: 'node',
  // A guard against a hang, not a measure of speed: no test depends on how fast it runs, and a
  // machine whose every core is busy (pnpm test:loaded) must pass too.
  testTimeout: 120_000,
  roots: ['<rootDir>/packages', '<rootDir>/test'],
  testMatch: ['**/test/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  moduleNameMapper: {
    '^@faultline/(core|express|fastify)$': '<rootDir>/packages/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  modulePathIgnorePatterns: ['<rootDir>/packages/.*/dist/', '<rootDir>/examples/.*/dist/'],
};
