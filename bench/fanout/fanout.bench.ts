import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { runToExit } from '../../test/support/processes.js';
import type { BenchResult, BenchRow } from '../support/bench-result.js';
import { alternate, medianOf, ratio, roundedSamples } from '../support/contest.js';
import { grouped } from '../support/stats.js';
import { PING_STREAM } from '../consume/bench-domain.js';

const FANOUT_MAIN = resolve(import.meta.dirname, 'fanout.process.js');

export interface FanOutBenchOptions {
  readonly redisUri: string;
  readonly events: number;
  readonly rounds: number;
}

async function fanOutOnce(contender: 'protean' | 'nest-redis', uri: string, events: number) {
  const redis = new Redis(uri);
  await redis.del(PING_STREAM);
  redis.disconnect();
  const run = await runToExit(FANOUT_MAIN, [contender, uri, String(events)]);
  if (run.code !== 0) throw new Error(`${contender} fan-out failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { delivered: number; ms: number };
}

/**
 * Scenario 4: one event to five handlers, published and handled in one process — our engine
 * (five consumer groups on a Redis stream: durable, acknowledged, retried) vs Nest's Redis
 * transport (Pub/Sub: at most once, nothing kept). Figures: events fanned out per second, and
 * the deliveries that arrived (Pub/Sub drops what a slow subscriber cannot take).
 */
export async function fanOutBenchmark(options: FanOutBenchOptions): Promise<BenchResult> {
  const { redisUri: uri, events } = options;
  const names = {
    protean: 'ProteanEngine, 5 consumer groups (durable)',
    nest: 'Nest Transport.REDIS, 5 @EventPattern (Pub/Sub)',
  };
  const lost = new Map<string, number>();
  const measure = (contender: 'protean' | 'nest-redis', name: string) => async () => {
    const run = await fanOutOnce(contender, uri, events);
    lost.set(name, (lost.get(name) ?? 0) + (events * 5 - run.delivered));
    return (events / run.ms) * 1000;
  };
  const samples = await alternate<number>(
    [
      { name: names.protean, run: measure('protean', names.protean) },
      { name: names.nest, run: measure('nest-redis', names.nest) },
    ],
    options.rounds,
  );
  const ours = medianOf(samples, names.protean);
  const nest = medianOf(samples, names.nest);
  const scenario = `4 fan-out 1 event → 5 handlers, ${grouped(events)} events`;
  const row = (name: string, vs: string): BenchRow => ({
    scenario,
    contender: name,
    figures: {
      'median /s': grouped(medianOf(samples, name)),
      'ours ÷ peer': vs,
      note: `${grouped(lost.get(name) ?? 0)} deliveries lost`,
    },
  });
  return {
    key: 'fan-out',
    rows: [row(names.protean, ''), row(names.nest, ratio(ours, nest))],
    data: {
      events,
      handlers: 5,
      rounds: options.rounds,
      contenders: roundedSamples(samples),
      median_events_per_s: { protean: Math.round(ours), nest_redis: Math.round(nest) },
      ratio_vs_nest_redis: Number((ours / nest).toFixed(3)),
      deliveries_lost: Object.fromEntries(lost),
    },
  };
}
