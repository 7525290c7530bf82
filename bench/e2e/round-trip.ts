/*
 * BENCH-ONLY: what one round trip to PostgreSQL and to Redis costs on this machine, back to back
 * and after the processes have been idle for a while — the floor under every hop of an order.
 *
 *   node dist/bench/e2e/round-trip.js [postgres uri] [redis uri]
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { quantile } from '../support/stats.js';
import { runProcess } from '../support/run-process.js';

const SAMPLES = 300;
/** Back to back, and after pauses like those between an idle pipeline's messages. */
const PAUSES_MS = [0, 2, 20];

async function timed(roundTrip: () => Promise<unknown>, pauseMs: number): Promise<number[]> {
  const took: number[] = [];
  for (let n = 0; n < SAMPLES; n++) {
    if (pauseMs > 0) await sleep(pauseMs);
    const started = performance.now();
    await roundTrip();
    took.push(performance.now() - started);
  }
  return took;
}

async function main(): Promise<void> {
  const [
    pgUri = 'postgresql://postgres@127.0.0.1:5432/postgres',
    redisUri = 'redis://127.0.0.1:6379',
  ] = process.argv.slice(2);
  const pg = new Client({ connectionString: pgUri });
  await pg.connect();
  const redis = new Redis(redisUri);
  try {
    const targets: Array<[string, () => Promise<unknown>]> = [
      ['PostgreSQL SELECT $1', () => pg.query('SELECT $1::int AS n', [1])],
      ['Redis PING', () => redis.ping()],
    ];
    for (const [name, roundTrip] of targets) {
      await timed(roundTrip, 0); // warm up
      for (const pause of PAUSES_MS) {
        const took = await timed(roundTrip, pause);
        process.stdout.write(
          `${name.padEnd(22)} after ${String(pause).padStart(2)} ms idle: ` +
            `p50 ${quantile(took, 0.5).toFixed(3)} ms, p99 ${quantile(took, 0.99).toFixed(3)} ms\n`,
        );
      }
    }
  } finally {
    await pg.end();
    redis.disconnect();
  }
}

runProcess(main);
