import { NodeProcess } from './processes.js';

/*
 * Jest setup for suites that start processes: whatever a test file started and did not stop
 * (a failed assertion, a timeout) is killed after it, so no process outlives its test file and
 * keeps Jest from exiting.
 */
afterAll(async () => {
  await Promise.all([...NodeProcess.running].map((process) => process.stop('SIGKILL')));
});
