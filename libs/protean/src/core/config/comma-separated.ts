/** The names of a comma-separated list (`A, B,C`), trimmed, empty ones left out. */
export function commaSeparated(text: string): string[] {
  return text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}
