import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets a worker's old generation grow past what its last full collection kept, in
 * percent (V8's `--heap-growing-percent`). A worker's messages outlive two scavenges while they
 * wait in a batch, run or wait for their acknowledgement, so they are promoted; with V8's own
 * factor the old generation grows to several times the live set before it is collected (a
 * worker draining 100,000 messages: 33 MB live, 250 MB resident). At 20 % it stays near the
 * live set: 184 MB resident for the same drain (docs/operations.md, "Memory").
 */
export const WORKER_HEAP_GROWING_PERCENT = 20;

/** The flags by which an operator sizes the heap: when one is given, the worker leaves it alone. */
const OPERATOR_HEAP_FLAGS = /--(max-old-space-size|heap-growing-percent)\b/;

/**
 * Keeps a worker process's heap near its live set, unless the process was started with its own
 * heap flags (`node --max-old-space-size=…`, `NODE_OPTIONS`). Called by `runWorker` before the
 * worker starts; a process that is not only a worker (an API with an embedded engine) keeps
 * V8's defaults. Resolves to whether it changed anything.
 */
export function tuneWorkerHeap(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
): boolean {
  if (OPERATOR_HEAP_FLAGS.test(execArgv.join(' ')) || OPERATOR_HEAP_FLAGS.test(nodeOptions))
    return false;
  setFlagsFromString(`--heap-growing-percent=${WORKER_HEAP_GROWING_PERCENT}`);
  return true;
}
