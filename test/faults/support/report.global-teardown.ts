import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioRow } from './report.js';

// Jest loads global hooks without the suites' module mapping: only node: imports here.
const FAULTS_DIR = join(import.meta.dirname, '..');
const RESULTS_DIR = join(FAULTS_DIR, 'results');

/** Tables whatever scenarios recorded into test/faults/report.md (and report.json). */
export default function composeReport(): void {
  let rows: ScenarioRow[];
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
  writeFileSync(join(FAULTS_DIR, 'report.md'), lines.join('\n'));
  writeFileSync(join(FAULTS_DIR, 'report.json'), JSON.stringify(rows, null, 2) + '\n');
}
