// The floors of nestjs-protean (docs/architecture.md): imports point down, never up or into an
// entry point. `npm run lint` runs this; a wrong import fails it with the rule's name.
const SRC = '^libs/protean/src/';
const FLOORS = ['core', 'ports', 'model', 'application', 'adapters', 'runtime', 'operations'];

const upward = FLOORS.slice(0, -1).map((floor, index) => ({
  name: `${floor}-imports-down-only`,
  comment: `${floor} sits on floor ${index}: it may import ${FLOORS.slice(0, index + 1).join(', ')}, nothing above`,
  severity: 'error',
  from: { path: `${SRC}${floor}/`, pathNot: '\\.spec\\.ts$' },
  to: { path: `${SRC}(${FLOORS.slice(index + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-entry-point-imports',
      comment:
        'the entry points (src/index.ts, server.ts, observability.ts, cli.ts, testing.ts, cqrs.ts) sit on top: nothing in the floors imports them',
      severity: 'error',
      from: { path: `${SRC}[^/]+/`, pathNot: '\\.spec\\.ts$' },
      to: { path: `${SRC}[^/]+\\.ts$` },
    },
    {
      name: 'adapters-apart',
      comment: 'an adapter technology (memory, postgresql, redis) does not import another one',
      severity: 'error',
      from: { path: `${SRC}adapters/(memory|postgresql|redis)/`, pathNot: '\\.spec\\.ts$' },
      to: { path: `${SRC}adapters/(memory|postgresql|redis)/`, pathNot: `${SRC}adapters/$1/` },
    },
    {
      name: 'cqrs-bridge-apart',
      comment:
        'the @nestjs/cqrs bridge (adapters/cqrs) needs an optional peer: only its entry point, nestjs-protean/cqrs, loads it',
      severity: 'error',
      from: { path: SRC, pathNot: [`${SRC}adapters/cqrs/`, `${SRC}cqrs\\.ts$`, '\\.spec\\.ts$'] },
      to: { path: `${SRC}adapters/cqrs/` },
    },
    {
      name: 'no-circular-floors',
      severity: 'error',
      from: { path: SRC, pathNot: '\\.spec\\.ts$' },
      to: { circular: true, path: SRC, viaOnly: { pathNot: '\\.spec\\.ts$' } },
    },
  ],
  options: {
    includeOnly: SRC,
    exclude: { path: '\\.d\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
