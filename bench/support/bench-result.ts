/** One row of the printed table. */
export interface BenchRow {
  readonly scenario: string;
  readonly contender: string;
  /** Named figures, printed in this order. */
  readonly figures: Readonly<Record<string, string>>;
}

/** What a benchmark scenario reports: rows for the table, and its entry in results.json. */
export interface BenchResult {
  /** The key in `bench/results.json`; a later run of the same scenario replaces it. */
  readonly key: string;
  readonly rows: readonly BenchRow[];
  readonly data: Record<string, unknown>;
}
