import { performance } from 'node:perf_hooks';
import { PROCESS_POLL } from '../../test/support/processes.js';
import type { BenchResult } from '../support/bench-result.js';
import { grouped, median } from '../support/stats.js';
import { BenchSystem } from './bench-system.js';
import { eventually } from 'nestjs-protean/testing';

export interface HotAggregateBenchOptions {
  /** Orders per round, each for one copy of the one book. */
  readonly orders: number;
  /** Copies in stock: that many orders are confirmed, the rest rejected. */
  readonly stock: number;
  /** Clients sending at once. */
  readonly clients: number;
  readonly workers: number;
  readonly rounds: number;
}

const SYSTEM_ENV = { LOG_LEVEL: 'warn', PROTEAN_OUTBOX__MESSAGES_PER_TICK: '100' };
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

/**
 * Scenario 6 (issue 12): every order is for the same book, so every stock reservation
 * conflicts on that one aggregate's version — orders/s from the first request until every
 * order is decided (CONFIRMED or REJECTED), with several workers. What a hot aggregate costs:
 * throughput, never an order (each round checks that none is left undecided).
 */
export async function hotAggregateBenchmark(
  options: HotAggregateBenchOptions,
): Promise<BenchResult> {
  progress(`hot: starting the API and ${options.workers} workers`);
  const system = await BenchSystem.start(SYSTEM_ENV, options.workers);
  try {
    const rates: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      rates.push(await oneRound(system, options));
      progress(`hot: round ${round + 1}, ${grouped(rates.at(-1)!)} orders/s`);
    }
    const rate = median(rates);
    const { orders, stock, clients, workers } = options;
    return {
      key: 'hot-aggregate',
      rows: [
        {
          scenario: `6 hot aggregate, ${grouped(orders)} orders for 1 book`,
          contender: `POST /orders → decided (${workers} workers, ${clients} clients)`,
          figures: {
            'median /s': grouped(rate),
            note: `stock ${grouped(stock)}: ${grouped(stock)} confirmed, ${grouped(orders - stock)} rejected, every order decided`,
          },
        },
      ],
      data: {
        ...options,
        env: SYSTEM_ENV,
        rounds_per_s: rates.map(Math.round),
        median_per_s: Math.round(rate),
      },
    };
  } finally {
    await system.stop();
  }
}

async function oneRound(system: BenchSystem, options: HotAggregateBenchOptions): Promise<number> {
  const bookId = await post<{ id: string }>(system, '/books', {
    title: 'The popular one',
    author: 'Bench',
    price: 10,
    stock: options.stock,
  }).then((body) => body.id);
  await eventually(async () => (await fetch(`${system.url}/books/${bookId}`)).ok, {
    ...PROCESS_POLL,
    timeoutMs: 30_000,
    what: 'the book in the catalog',
  });
  const started = performance.now();
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      while (next++ < options.orders) {
        const body = await post<{ id: string }>(system, '/orders', {
          customer: 'Ada Lovelace',
          items: [{ bookId, quantity: 1 }],
        });
        ids.push(body.id);
      }
    }),
  );
  await eventually(async () => (await decided(system, ids)) === ids.length, {
    timeoutMs: 600_000,
    intervalMs: 50,
    what: `${ids.length} orders decided`,
  });
  const rate = (ids.length / (performance.now() - started)) * 1000;
  const [{ confirmed }] = await system.db.query<{ confirmed: number }>(
    `SELECT count(*)::int AS confirmed FROM aggregates
     WHERE category = 'order' AND id = ANY($1) AND state->>'status' = 'CONFIRMED'`,
    [ids],
  );
  if (confirmed !== options.stock)
    throw new Error(`${confirmed} orders confirmed for a stock of ${options.stock}`);
  return rate;
}

async function decided(system: BenchSystem, ids: readonly string[]): Promise<number> {
  const [{ n }] = await system.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM projections WHERE name = 'order_summaries'
     AND id = ANY($1) AND document->>'status' IN ('CONFIRMED', 'REJECTED')`,
    [ids],
  );
  return n;
}

async function post<T>(system: BenchSystem, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${system.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 202) throw new Error(`POST ${path} answered ${response.status}`);
  return (await response.json()) as T;
}
