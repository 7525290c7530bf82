import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ScenarioRow } from './report.js';

/*
 * Jest loads global hooks with Node's own resolver, without the moduleNameMapper that maps
 * `./x.js` to `./x.ts`: this file may import types only, so it composes the report itself.
 */
const FAULTS_DIR = resolve(import.meta.dirname, '..');
const RESULTS_DIR = join(FAULTS_DIR, 'results');

/** Tables whatever scenarios recorded into test/faults/report.md (and report.json). */
export default function teardown(): void {
  composeReport();
}

export function composeReport(): string {
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
  const report = lines.join('\n');
  mkdirSync(FAULTS_DIR, { recursive: true });
  writeFileSync(join(FAULTS_DIR, 'report.md'), report);
  writeFileSync(join(FAULTS_DIR, 'report.json'), JSON.stringify(rows, null, 2) + '\n');
  return report;
}
