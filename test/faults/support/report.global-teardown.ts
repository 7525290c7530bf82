import { composeReport } from './report.js';

/** Tables whatever scenarios recorded into test/faults/report.md. */
export default function teardown(): void {
  composeReport();
}
