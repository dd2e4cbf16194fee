/** Jest in ESM mode: NestJS 12 is ESM-only (see README, "Tests"). */
const tsJest = ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }];
// Unit specs are transpiled file by file (isolatedModules), without a type check (`npm run
// lint` type-checks everything): seconds instead of a minute.
const tsJestTranspileOnly = ['ts-jest', { ...tsJest[1], tsconfig: 'tsconfig.unit.json' }];

// CommonJS packages that require an ESM-only dependency load in Node 20 but
// not in jest's CommonJS loader; these ESM-only files are compiled to
// CommonJS for jest alone (production never goes through this).
const ESM_ONLY_DEPS = ['content-disposition'];

// Projects inherit nothing from the root config, so each spreads this.
const esm = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': tsJest,
    [`/node_modules/(${ESM_ONLY_DEPS.join('|')})/.+\\.js$`]: ['ts-jest', { useESM: true, tsconfig: { allowJs: true, module: 'nodenext', moduleResolution: 'nodenext' }, diagnostics: false }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_DEPS.join('|')})/)`],
};

export default {
  projects: [
    // Pure specs beside the code: no PostgreSQL, no Redis.
    { ...esm, transform: { ...esm.transform, '^.+\\.ts$': tsJestTranspileOnly }, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    // The real app on a real PostgreSQL and Redis. Jest runs a project's
    // globalSetup only when at least one of its tests is selected, so
    // `--selectProjects unit` or a path under src/ creates no database.
    {
      ...esm,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/contract-setup.ts'],
    },
  ],
  maxWorkers: 2,
  testTimeout: 60000,
};
