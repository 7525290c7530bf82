/**
 * `nestjs-protean/server`: the worker — the engine as a Nest microservice custom transport,
 * with the start-up the `protean server` command and a worker's own `main.ts` share.
 */
export * from './protean-server.js';
export * from './protean-context.js';
export * from './create-protean-worker.js';
export * from './run-worker.js';
