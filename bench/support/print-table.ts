import type { BenchRow } from './bench-result.js';

/** The rows as an aligned text table, figures as `name value` columns. */
export function formatTable(rows: readonly BenchRow[]): string {
  const names = [...new Set(rows.flatMap((row) => Object.keys(row.figures)))];
  const header = ['scenario', 'contender', ...names];
  const cells = rows.map((row) => [
    row.scenario,
    row.contender,
    ...names.map((name) => row.figures[name] ?? ''),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => line[column].length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, column) =>
        column < 2 ? value.padEnd(widths[column]) : value.padStart(widths[column]),
      )
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join(
    '\n',
  );
}
