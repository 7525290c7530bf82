import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../support/processes.js';

/** One row of the fault report: what a scenario sent and what became of it. */
export interface ScenarioRow {
  /** 1..11, the scenario's number in issue 6 (orders the table). */
  readonly scenario: number;
  readonly name: string;
  readonly sent: number;
  readonly completed: number;
  readonly lost: number;
  readonly duplicated: number;
  /** Seconds from the fault's end to the system being back to normal, when that applies. */
  readonly recoverySeconds?: number;
  /** Why a figure is what it is, what was checked beyond the counts. */
  readonly note: string;
}

export const FAULTS_DIR = join(ROOT, 'test/faults');
const RESULTS_DIR = join(FAULTS_DIR, 'results');

/** Records a scenario's row; `composeReport` (the faults suite's global teardown) tables them. */
export function recordScenario(row: ScenarioRow): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${row.scenario}.json`), JSON.stringify(row, null, 2));
}

/** Composes the report; tabled by the faults suite's global teardown. */
export { composeReport } from './report.global-teardown.js';
