import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BenchResult } from './bench-result.js';

/**
 * Merges results into `bench/results.json` by scenario key: scenarios measured now replace
 * their previous entry, the others stay, so every benchmark can add its own. Returns the
 * merged content.
 */
export function mergeResults(
  path: string,
  results: readonly BenchResult[],
): Record<string, unknown> {
  const current = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)
    : {};
  for (const result of results) current[result.key] = result.data;
  const sorted = Object.fromEntries(Object.entries(current).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(path, `${JSON.stringify(sorted, null, 2)}\n`);
  return sorted;
}
