/**
 * `nestjs-protean/server`: the worker — the engine as a Nest microservice custom transport,
 * with the start-up the `protean server` command and a worker's own `main.ts` share.
 */
export * from './runtime/server/protean-server.js';
export * from './runtime/server/engine-not-bound.error.js';
export * from './runtime/server/protean-context.js';
export * from './runtime/server/create-protean-worker.js';
export * from './operations/worker/run-worker.js';
export * from './operations/worker/worker-heap.js';
