/** How big each scenario runs: the full run, or the quick smoke run. */
export function benchPlan(quick: boolean) {
  const numbers = (name: string, fallback: string) =>
    (process.env[name] ?? fallback).split(',').map(Number);
  const consume = {
    messages: quick ? 2000 : 50_000,
    // Runs of ≈ 1 s on a shared machine: five rounds for medians that hold still.
    rounds: quick ? 1 : 5,
    aggregates: 1000,
    engineSettings: quick
      ? [{ concurrency: 50, batch: 500 }]
      : [
          { concurrency: 10, batch: 100 },
          { concurrency: 50, batch: 500 },
        ],
    bullmqConcurrencies: quick ? [10] : [10, 50],
    rawBatch: 100,
  };
  return {
    quick,
    consume,
    // The same at the pace of one PostgreSQL transaction a message (≈ 3,000 a second here).
    consumeOnPostgres: { ...consume, messages: quick ? 500 : 10_000, rounds: quick ? 1 : 3 },
    endToEnd: {
      seconds: quick ? 2 : 10,
      rounds: quick ? 1 : 2,
      connections: 32,
      rawClients: 8,
      books: 50,
    },
    hotAggregate: quick
      ? { orders: 100, stock: 60, clients: 10, workers: 2, rounds: 1 }
      : { orders: 1000, stock: 600, clients: 40, workers: 3, rounds: 2 },
    scaleOut: {
      workerCounts: quick ? [1, 2] : [1, 2, 4],
      partitionCounts: quick ? [1, 4] : [1, 8],
      seconds: quick ? 2 : 10,
      rounds: quick ? 1 : 2,
      connections: 32,
      books: 50,
    },
    cliStartup: { rounds: quick ? 1 : 10 },
    fanOut: { events: quick ? 1000 : 10_000, rounds: quick ? 1 : 5 },
    memory: { messages: quick ? 5000 : 100_000, targetMb: 200 },
    relay: {
      rows: numbers('BENCH_OUTBOX_ROWS', quick ? '600' : '20000')[0],
      aggregates: numbers('BENCH_OUTBOX_AGGREGATES', quick ? '50' : '2000')[0],
      batches: numbers('BENCH_OUTBOX_BATCHES', quick ? '100' : '500,100'),
      rounds: numbers('BENCH_OUTBOX_ROUNDS', quick ? '1' : '5')[0],
      latencySamples: numbers('BENCH_OUTBOX_LATENCY_SAMPLES', quick ? '5' : '200')[0],
    },
  };
}

export type BenchPlan = ReturnType<typeof benchPlan>;
