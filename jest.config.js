/** Jest in ESM mode: NestJS 12 is ESM-only (see README, "Tests"). */
const tsJest = ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }];

// CommonJS packages that require an ESM-only dependency load in Node 20 but
// not in jest's CommonJS loader; these ESM-only files are compiled to
// CommonJS for jest alone (production never goes through this).
const ESM_ONLY_DEPS = ['content-disposition'];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': tsJest,
    [`/node_modules/(${ESM_ONLY_DEPS.join('|')})/.+\\.js$`]: ['ts-jest', { useESM: true, tsconfig: { allowJs: true, module: 'nodenext', moduleResolution: 'nodenext' }, diagnostics: false }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_DEPS.join('|')})/)`],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 60000,
};
