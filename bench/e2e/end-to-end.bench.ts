import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { PROCESS_POLL } from '../../test/support/processes.js';
import type { BenchResult, BenchRow } from '../support/bench-result.js';
import { alternate, medianOf, ratio, roundedSamples } from '../support/contest.js';
import { grouped, quantile } from '../support/stats.js';
import { BenchSystem } from './bench-system.js';
import { hopsOf, hopTable, type HopFigures } from './hop-table.js';
import { runRawTransactions } from './raw-transactions.js';
import { eventually } from 'nestjs-protean/testing';

export interface EndToEndBenchOptions {
  /** Seconds of load per saturation run, and of the half-load run. */
  readonly seconds: number;
  readonly rounds: number;
  /** HTTP connections at saturation (autocannon). */
  readonly connections: number;
  /** pg clients of the raw transactions. */
  readonly rawClients: number;
  /** Books the orders spread over (one book is one aggregate: its orders queue behind it). */
  readonly books: number;
}

/** The worker and API as the benchmark runs them: quiet logs, the relay in batches of 100. */
export const SYSTEM_ENV = {
  LOG_LEVEL: 'warn',
  PROTEAN_OUTBOX__MESSAGES_PER_TICK: '100',
};
/** The same, every row left to the relay: the design before publishing after commit. */
const RELAY_ONLY_ENV = { ...SYSTEM_ENV, PROTEAN_OUTBOX__PUBLISH_AFTER_COMMIT: 'false' };

/**
 * Scenario 3: `POST /orders` over HTTP to the API, in async mode with the outbox, until every
 * accepted order is CONFIRMED in the order summaries (worker: outbox relay, PlaceOrder handler,
 * stock reservation, projector) — orders/s at saturation, then accept → confirmed latency at
 * half that rate; vs the same system with every row left to the relay (`publish_after_commit =
 * false`, the design before issue 16), and vs the same transaction shape (an aggregate row +
 * an outbox row) run raw with `pg`. Both systems stay up for the whole scenario, idle while
 * the other is measured.
 */
export async function endToEndBenchmark(options: EndToEndBenchOptions): Promise<BenchResult> {
  progress('e2e: starting the API and the worker, twice (publishing after commit, relay only)');
  const [system, relayOnly] = await Promise.all([
    BenchSystem.start(SYSTEM_ENV),
    BenchSystem.start(RELAY_ONLY_ENV),
  ]);
  try {
    const [books, relayOnlyBooks] = await Promise.all([
      addBooks(system, options.books),
      addBooks(relayOnly, options.books),
    ]);
    await system.db.query('CREATE TABLE raw_aggregates (LIKE aggregates INCLUDING ALL)');
    await system.db.query('CREATE TABLE raw_outbox (LIKE outbox INCLUDING ALL)');
    const names = {
      ours: `POST /orders → CONFIRMED (${options.connections} connections)`,
      relayOnly: `the same, publish_after_commit = false (relay only)`,
      raw: `raw pg tx: aggregate + outbox row (${options.rawClients} clients)`,
    };
    const samples = await alternate<number>(
      [
        { name: names.ours, run: () => saturate(system, books, options) },
        { name: names.relayOnly, run: () => saturate(relayOnly, relayOnlyBooks, options) },
        {
          name: names.raw,
          run: () => runRawTransactions(system.db.uri, options.rawClients, options.seconds * 1000),
        },
      ],
      options.rounds,
    );
    const ours = medianOf(samples, names.ours);
    const relayOnlyRate = medianOf(samples, names.relayOnly);
    const raw = medianOf(samples, names.raw);
    // Both at the same rate: half of what ours sustained.
    const rate = Math.max(1, Math.round(ours / 2));
    const { hops, ...half } = await halfLoad(system, books, rate, options);
    const { hops: relayOnlyHops, ...relayOnlyHalf } = await halfLoad(
      relayOnly,
      relayOnlyBooks,
      rate,
      options,
    );
    const scenario = '3 end to end, orders';
    const latencyNote = (figures: typeof half) =>
      `p50 ${figures.p50.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms (${grouped(figures.orders)} orders); ` +
      `outbox row → marked published p50 ${figures.outbox_row_written_to_marked_ms.p50.toFixed(1)} ms`;
    const rows: BenchRow[] = [
      {
        scenario,
        contender: names.ours,
        figures: { 'median /s': grouped(ours), 'ours ÷ peer': '' },
      },
      {
        scenario,
        contender: names.relayOnly,
        figures: { 'median /s': grouped(relayOnlyRate), 'ours ÷ peer': ratio(ours, relayOnlyRate) },
      },
      {
        scenario,
        contender: names.raw,
        figures: { 'median /s': grouped(raw), 'ours ÷ peer': ratio(ours, raw) },
      },
      {
        scenario,
        contender: `accept → CONFIRMED at ${grouped(half.rate)}/s (half load)`,
        figures: { note: latencyNote(half) },
      },
      {
        scenario,
        contender: `the same, relay only`,
        figures: { note: latencyNote(relayOnlyHalf) },
      },
      ...hopRows(scenario, hops),
      ...hopRows(scenario, relayOnlyHops, ', relay only'),
    ];
    return {
      key: 'end-to-end',
      rows,
      data: {
        rounds: options.rounds,
        seconds: options.seconds,
        connections: options.connections,
        raw_clients: options.rawClients,
        books: options.books,
        env: SYSTEM_ENV,
        contenders: roundedSamples(samples),
        median_per_s: {
          confirmed_orders: Math.round(ours),
          confirmed_orders_relay_only: Math.round(relayOnlyRate),
          raw_transactions: Math.round(raw),
        },
        ratio_vs_raw: Number((ours / raw).toFixed(3)),
        ratio_vs_relay_only: Number((ours / relayOnlyRate).toFixed(3)),
        half_load: half,
        hops,
        relay_only: { env: RELAY_ONLY_ENV, half_load: relayOnlyHalf, hops: relayOnlyHops },
        targets: { vs_raw: 0.2, p50_ms: 20, p99_ms: 50, commit_to_published_p50_ms: 5 },
      },
    };
  } finally {
    await Promise.all([system.stop(), relayOnly.stop()]);
  }
}

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** Where the time goes at half load: one row per hop of `protean_hop_seconds`, API and worker. */
function hopRows(scenario: string, hops: Record<string, HopFigures>, label = ''): BenchRow[] {
  const ms = (value: number | null) => (value === null ? '–' : value.toFixed(1));
  return Object.entries(hops).map(([hop, figures]) => ({
    scenario,
    contender: `hop ${hop} (half load${label})`,
    figures: {
      note: `p50 ${ms(figures.p50_ms)} ms, p99 ${ms(figures.p99_ms)} ms (${grouped(figures.count)} observed)`,
    },
  }));
}

export async function addBooks(system: BenchSystem, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const response = await fetch(`${system.url}/books`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: `Book ${n}`,
        author: 'Bench',
        price: 10,
        stock: 1_000_000,
      }),
    });
    if (response.status !== 202) throw new Error(`POST /books answered ${response.status}`);
    ids.push(((await response.json()) as { id: string }).id);
  }
  await eventually(
    async () => {
      const [{ n }] = await system.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM projections WHERE name = 'catalog' AND id = ANY($1)`,
        [ids],
      );
      return n === count;
    },
    { ...PROCESS_POLL, timeoutMs: 30_000, what: 'the books in the catalog' },
  );
  return ids;
}

/** Orders sent in one run, with when each was accepted (ms since the epoch), by id. */
async function placeOrders(
  system: BenchSystem,
  books: readonly string[],
  options: { connections: number; seconds: number; overallRate?: number },
) {
  const accepted = new Map<string, number>();
  let next = 0;
  const result = await autocannon({
    url: `${system.url}/orders`,
    connections: options.connections,
    duration: options.seconds,
    overallRate: options.overallRate,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({
            customer: 'Ada Lovelace',
            items: [{ bookId: books[next++ % books.length], quantity: 1 }],
          }),
        }),
        onResponse: (status, body) => {
          if (status === 202) accepted.set((JSON.parse(body) as { id: string }).id, Date.now());
        },
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`POST /orders: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return accepted;
}

async function confirmedAmong(system: BenchSystem, ids: readonly string[]): Promise<number> {
  const [{ n }] = await system.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM projections
     WHERE name = 'order_summaries' AND id = ANY($1) AND document->>'status' = 'CONFIRMED'`,
    [ids],
  );
  return n;
}

async function allConfirmed(system: BenchSystem, ids: readonly string[]): Promise<void> {
  await eventually(async () => (await confirmedAmong(system, ids)) === ids.length, {
    timeoutMs: 180_000,
    intervalMs: 20,
    what: `${ids.length} orders CONFIRMED`,
  });
}

/** Orders per second from the first request to the last order CONFIRMED. */
export async function saturate(
  system: BenchSystem,
  books: readonly string[],
  options: Pick<EndToEndBenchOptions, 'connections' | 'seconds'>,
): Promise<number> {
  const started = performance.now();
  const accepted = await placeOrders(system, books, options);
  progress(`e2e: ${accepted.size} orders accepted, waiting for CONFIRMED`);
  await allConfirmed(system, [...accepted.keys()]);
  return (accepted.size / (performance.now() - started)) * 1000;
}

/**
 * At a fixed rate: each order's latency from its 202 to the projector's transaction that
 * marked it CONFIRMED (`updated_at`, the transaction's start: a little early, by its length).
 */
export async function halfLoad(
  system: BenchSystem,
  books: readonly string[],
  rate: number,
  options: Pick<EndToEndBenchOptions, 'connections' | 'seconds'>,
) {
  const [{ since }] = await system.db.query<{ since: string }>('SELECT now()::text AS since');
  const hopsBefore = hopsOf(await system.scrapeMetrics());
  const accepted = await placeOrders(system, books, {
    connections: Math.min(options.connections, Math.max(1, Math.ceil(rate / 50))),
    seconds: options.seconds,
    overallRate: rate,
  });
  const ids = [...accepted.keys()];
  await allConfirmed(system, ids);
  // Only the half-load phase: the histograms since the saturation runs, every process added up.
  const hops = hopTable(hopsBefore, hopsOf(await system.scrapeMetrics()));
  const rows = await system.db.query<{ id: string; confirmed_at: number }>(
    `SELECT id, extract(epoch FROM updated_at) * 1000 AS confirmed_at FROM projections
     WHERE name = 'order_summaries' AND id = ANY($1)`,
    [ids],
  );
  const latencies = rows.map((row) =>
    Math.max(0, Number(row.confirmed_at) - accepted.get(row.id)!),
  );
  // Each order crosses the outbox three times (PlaceOrder, OrderPlaced, the reservation's
  // events). A row's `published_at` is when it was marked published: for a row published after
  // its commit, a marking that waits to share its statement with others, after the broker's
  // acknowledgement — the hop `commit_to_published` is the publish itself.
  const [relay] = await system.db.query<{ p50: number; p99: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) AS p99
     FROM (SELECT extract(epoch FROM published_at - created_at) * 1000 AS lag FROM outbox
           WHERE created_at >= $1::timestamptz AND published_at IS NOT NULL) AS rows`,
    [since],
  );
  return {
    rate,
    orders: ids.length,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    outbox_row_written_to_marked_ms: { p50: Number(relay.p50), p99: Number(relay.p99) },
    hops,
  };
}
