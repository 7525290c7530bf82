import { resolve } from 'node:path';
import { ROOT } from '../../support/processes.js';

/** The test-only worker of scenario 8 (test/support/bin/faults-poison-worker.ts). */
export const POISON_WORKER_MAIN = resolve(ROOT, 'dist/test/support/bin/faults-poison-worker.js');

/**
 * Preloaded into the API and worker processes of scenario 10 (through NODE_OPTIONS) to report
 * their prototypes on demand (test/support/bin/faults-prototype-probe.ts).
 */
export const PROTOTYPE_PROBE = resolve(ROOT, 'dist/test/support/bin/faults-prototype-probe.js');
