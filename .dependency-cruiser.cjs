/**
 * Crossover's architecture, checked on every `npm run lint` (and so in CI).
 *
 *   src/domain   pure economics: imports only itself and decimal.js
 *   src/common   cross-cutting helpers (errors, principal, formats): no feature
 *   src/config   the env schema
 *   src/infra    Prisma, Redis, queues, metrics: no feature
 *   src/<feature>  one Nest module each (<feature>.module.ts exports what
 *                others may use); a feature never reads another's repository,
 *                and no two folders import each other.
 *
 * Spec files may reach test builders and fixtures; shipped code may not.
 */
const LAYERS = ['domain', 'common', 'config', 'infra', 'generated'];
const FEATURE = `^src/(?!(?:${LAYERS.join('|')})/)[^/]+/`;

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The economics are pure functions: they import only the domain and decimal.js (no Nest, Prisma, I/O, JSON files).',
      severity: 'error',
      from: { path: '^src/domain/', pathNot: '\\.spec\\.ts$' },
      to: { pathNot: ['^src/domain/', '^node_modules/decimal\\.js/'] },
    },
    {
      name: 'infra-imports-no-feature',
      comment: 'Infrastructure serves every feature and knows none of them.',
      severity: 'error',
      from: { path: '^src/infra/' },
      to: { path: FEATURE },
    },
    {
      name: 'common-imports-no-feature',
      comment: 'Cross-cutting helpers know no feature.',
      severity: 'error',
      from: { path: '^src/(common|config)/' },
      to: { path: [FEATURE, '^src/infra/'] },
    },
    {
      name: 'no-foreign-repository',
      comment: "A feature calls another feature's exported service; repositories (the SQL) stay private to their feature.",
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: '\\.spec\\.ts$' },
      to: { path: '\\.repository\\.ts$', pathNot: '^src/$1/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles between files or, with --collapse (the second lint pass), between folders. Type-only imports vanish at build and do not count.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'shipped-code-uses-no-test-code',
      comment: 'Test builders and fixtures stay out of what ships.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^test/' },
    },
    {
      name: 'no-orphans',
      comment: 'A source file nothing imports is dead code (entry points and specs aside).',
      severity: 'error',
      from: { orphan: true, path: '^src/', pathNot: ['\\.spec\\.ts$', '^src/main\\.ts$', '^src/demo/main\\.ts$', '^src/generated/', '\\.d\\.ts$', '^src/dashboard/public/'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
