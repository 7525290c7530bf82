/** Column alignment: numbers read best right-aligned. */
export type Alignment = 'left' | 'right';

/**
 * A plain-text table: a header row, then one row per item, columns two spaces apart and as
 * wide as their widest cell, no trailing spaces — easy to read and to `grep` / `awk`.
 */
export function formatTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  align: readonly Alignment[] = [],
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        align[column] === 'right' ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** `text` cut to `max` characters, with an ellipsis when cut. */
export function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A count, or a dash where it is unknown. */
export function countOrDash(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : String(value);
}
