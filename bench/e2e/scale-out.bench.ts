import type { BenchResult, BenchRow } from '../support/bench-result.js';
import { ratio } from '../support/contest.js';
import { grouped, median } from '../support/stats.js';
import { BenchSystem } from './bench-system.js';
import { addBooks, halfLoad, saturate, SYSTEM_ENV } from './end-to-end.bench.js';

export interface ScaleOutBenchOptions {
  /** Worker processes of each system, in the order they run. */
  readonly workerCounts: readonly number[];
  /** Partitions of each stream category: 1 (unpartitioned) and more; each with every worker count. */
  readonly partitionCounts: readonly number[];
  /** Seconds of load per run. */
  readonly seconds: number;
  /** Saturation runs per system. */
  readonly rounds: number;
  /** HTTP connections at saturation. */
  readonly connections: number;
  readonly books: number;
}

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

interface ScaleOutFigures {
  readonly workers: number;
  /** Partitions of every stream category (1: unpartitioned). */
  readonly partitions: number;
  /** Orders/s at saturation, each round. */
  readonly rounds_per_s: number[];
  readonly median_per_s: number;
  /** accept → CONFIRMED at the one rate every system is given. */
  readonly at_rate: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  /**
   * Transactions rolled back per order, over its saturation and latency runs: mostly lost
   * optimistic-concurrency races (workers on one aggregate at once), each retried.
   */
  readonly rollbacks_per_order: number;
}

/**
 * Scenario 8 (issue 17): the end-to-end scenario (scenario 3) with 1, 2 and 4 worker processes
 * beside one API: orders/s at saturation, and accept → CONFIRMED p50 and p99 at one rate for
 * all of them (half what the first system sustained), so what growing the pool buys — or costs —
 * on this machine is visible. The systems run one after another, each on a fresh database and
 * Redis: kept up together their connection pools would outgrow PostgreSQL's `max_connections`.
 * Each worker count runs unpartitioned and with every stream category of the bookshelf in
 * partitions (`[streams."<category>"] partitions = N`).
 */
export async function scaleOutBenchmark(options: ScaleOutBenchOptions): Promise<BenchResult> {
  const figures: ScaleOutFigures[] = [];
  let rate: number | undefined;
  const systems = options.partitionCounts.flatMap((partitions) =>
    options.workerCounts.map((workers) => ({ partitions, workers })),
  );
  for (const { workers, partitions } of systems) {
    progress(`scale-out: the API and ${workers} worker process(es), ${described(partitions)}`);
    const system = await BenchSystem.start({ ...SYSTEM_ENV, ...partitioned(partitions) }, workers);
    try {
      const books = await addBooks(system, options.books);
      const before = await transactionCounts(system);
      const rounds: number[] = [];
      for (let round = 0; round < options.rounds; round++)
        rounds.push(await saturate(system, books, options));
      const saturated = median(rounds);
      rate ??= Math.max(1, Math.round(saturated / 2));
      const { p50, p99 } = await halfLoad(system, books, rate, options);
      const after = await settledTransactionCounts(system);
      const orders = after.orders - before.orders;
      figures.push({
        workers,
        partitions,
        rounds_per_s: rounds.map(Math.round),
        median_per_s: Math.round(saturated),
        at_rate: rate,
        p50_ms: Number(p50.toFixed(1)),
        p99_ms: Number(p99.toFixed(1)),
        rollbacks_per_order: Number(((after.rollbacks - before.rollbacks) / orders).toFixed(2)),
      });
    } finally {
      await system.stop();
    }
  }
  const first = figures[0];
  const scenario = '8 scale-out, orders';
  const rows: BenchRow[] = figures.map((figure) => ({
    scenario,
    contender: `POST /orders → CONFIRMED, ${figure.workers} worker process(es), ${described(figure.partitions)}`,
    figures: {
      'median /s': grouped(figure.median_per_s),
      'ours ÷ peer': figure === first ? '' : ratio(figure.median_per_s, first.median_per_s),
      note:
        `p50 ${figure.p50_ms} ms, p99 ${figure.p99_ms} ms at ${grouped(figure.at_rate)}/s; ` +
        `${figure.rollbacks_per_order} rolled-back transactions an order` +
        (figure === first ? '; the peer of the rows below' : ''),
    },
  }));
  return {
    key: 'scale-out',
    rows,
    data: {
      seconds: options.seconds,
      rounds: options.rounds,
      connections: options.connections,
      books: options.books,
      env: SYSTEM_ENV,
      partitioned: partitioned(8),
      systems: figures,
    },
  };
}

/** The bookshelf's stream categories, each in `partitions` partitions (none for 1). */
export function partitioned(partitions: number): NodeJS.ProcessEnv {
  if (partitions === 1) return {};
  const categories = ['bookshelf::book', 'bookshelf::order', 'bookshelf::order:command'];
  return Object.fromEntries(
    categories.map((category) => [`PROTEAN_STREAMS__${category}__PARTITIONS`, String(partitions)]),
  );
}

const described = (partitions: number) =>
  partitions === 1 ? 'unpartitioned' : `${partitions} partitions`;

/** Orders placed, and transactions rolled back in the system's database (`pg_stat_database`). */
async function transactionCounts(system: BenchSystem) {
  const [row] = await system.db.query<{ rollbacks: string; orders: string }>(
    `SELECT (SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()) AS rollbacks,
            (SELECT count(*) FROM projections WHERE name = 'order_summaries') AS orders`,
  );
  return { rollbacks: Number(row.rollbacks), orders: Number(row.orders) };
}

/**
 * {@link transactionCounts} once the statistics hold still: a backend reports its counts at
 * most once a second, and an idle one within 10 s, so they are read until two reads a second
 * apart agree (for at most 15 s).
 */
async function settledTransactionCounts(system: BenchSystem) {
  let last = await transactionCounts(system);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = await transactionCounts(system);
    if (now.rollbacks === last.rollbacks && now.orders === last.orders) return now;
    last = now;
  }
  return last;
}
