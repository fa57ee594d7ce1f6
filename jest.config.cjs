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
    '^@faultline/(core|express|fastify|opentelemetry)$': '<rootDir>/packages/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  modulePathIgnorePatterns: ['<rootDir>/packages/.*/dist/', '<rootDir>/examples/.*/dist/'],
  // `pnpm test` runs jest with --coverage: the gate below keeps coverage from falling unseen.
  // The command line's sources are left out: its tests run the built bin in child processes,
  // out of jest's sight. The thresholds sit a little under what the whole suite measures.
  collectCoverageFrom: ['packages/{core,express,fastify,opentelemetry}/src/**/*.ts'],
  coverageReporters: ['text-summary'],
  coverageThreshold: {
    global: { lines: 97.5, statements: 96.5, branches: 91.5, functions: 97.5 },
  },
};
