import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

export function composeReport(): string {
  let rows: ScenarioRow[] = [];
  try {
    rows = readdirSync(RESULTS_DIR)
      .filter((file) => file.endsWith('.json'))
      .map((file) => JSON.parse(readFileSync(join(RESULTS_DIR, file), 'utf8')) as ScenarioRow)
      .sort((a, b) => a.scenario - b.scenario);
  } catch {
    rows = [];
  }
  const cell = (value: number | undefined) => (value === undefined ? '–' : String(value));
  const lines = [
    '# Fault report',
    '',
    `Written by \`npm run test:faults\` on ${new Date().toISOString()}.`,
    'Real API and worker processes, PostgreSQL and Redis started by the tests themselves.',
    '',
    '| # | Scenario | Sent | Completed | Lost | Duplicated effects | Recovery (s) | Notes |',
    '|---|---|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (row) =>
        `| ${row.scenario} | ${row.name} | ${row.sent} | ${row.completed} | ${row.lost} | ` +
        `${row.duplicated} | ${cell(row.recoverySeconds)} | ${row.note.replace(/\|/g, '\\|')} |`,
    ),
    '',
  ];
  const report = lines.join('\n');
  writeFileSync(join(FAULTS_DIR, 'report.md'), report);
  writeFileSync(join(FAULTS_DIR, 'report.json'), JSON.stringify(rows, null, 2) + '\n');
  return report;
}
