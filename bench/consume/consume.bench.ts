import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { runToExit } from '../../test/support/processes.js';
import type { BenchResult, BenchRow } from '../support/bench-result.js';
import { alternate, bestOf, medianOf, ratio, roundedSamples } from '../support/contest.js';
import { grouped } from '../support/stats.js';
import { createMigratedTestDatabase } from '../../test/support/postgres.js';
import {
  BENCH_DATABASE_URI,
  BULLMQ_QUEUE,
  PING_STREAM,
  pingEnvelope,
  RAW_GROUP,
  type Contender,
} from './bench-domain.js';

export const CONSUMER_MAIN = resolve(import.meta.dirname, 'consumer.process.js');

export interface ConsumeBenchOptions {
  readonly redisUri: string;
  readonly messages: number;
  readonly rounds: number;
  /** Aggregates the events belong to (the engine never runs two of one at once). */
  readonly aggregates: number;
  /** Engine settings tried (`concurrency`, `messages_per_tick`); the best is ours. */
  readonly engineSettings: readonly EngineSetting[];
  /** BullMQ worker concurrencies tried; the best is the peer. */
  readonly bullmqConcurrencies: readonly number[];
  readonly rawBatch: number;
}

export interface EngineSetting {
  readonly concurrency: number;
  readonly batch: number;
}

export interface DrainRun {
  readonly handled: number;
  readonly ms: number;
  /** From the moment half the messages were handled to the end: past the start's warm-up. */
  readonly secondHalfMs: number;
  /** The consumer process's CPU time (user + system) over the drain. */
  readonly cpuMs: number;
  readonly maxRssMb: number;
}

/** Writes `messages` Pinged envelopes on the stream (pipelined XADD, 1,000 a round trip). */
export async function fillStream(redis: Redis, messages: number, aggregates: number) {
  await redis.del(PING_STREAM);
  for (let start = 0; start < messages; start += 1000) {
    const pipeline = redis.pipeline();
    for (let n = start; n < Math.min(messages, start + 1000); n++) {
      pipeline.xadd(PING_STREAM, '*', 'data', pingEnvelope(n, aggregates));
    }
    await pipeline.exec();
  }
}

/** {@link fillStream}, then the raw loop's group on it, from its start. */
async function fillStreamForAll(redis: Redis, messages: number, aggregates: number) {
  await fillStream(redis, messages, aggregates);
  await redis.xgroup('CREATE', PING_STREAM, RAW_GROUP, '0');
}

async function fillQueue(uri: string, messages: number, aggregates: number) {
  const queue = new Queue(BULLMQ_QUEUE, { connection: { url: uri } });
  await queue.obliterate({ force: true });
  for (let start = 0; start < messages; start += 1000) {
    const jobs = [];
    for (let n = start; n < Math.min(messages, start + 1000); n++) {
      jobs.push({ name: 'ping', data: { data: pingEnvelope(n, aggregates) } });
    }
    await queue.addBulk(jobs);
  }
  await queue.close();
}

/** Runs one drain in a fresh process; rejects unless it handled every message. */
export async function drainInProcess(
  contender: Contender,
  uri: string,
  messages: number,
  concurrency: number,
  batch: number,
  nodeArgs: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<DrainRun> {
  const script = nodeArgs.length > 0 ? nodeArgs.concat(CONSUMER_MAIN) : [CONSUMER_MAIN];
  const [main, ...rest] = script;
  const run = await runToExit(
    main,
    [...rest, contender, uri, String(messages), String(concurrency), String(batch)],
    env,
  );
  if (run.code !== 0) throw new Error(`${contender} consumer failed:\n${run.stderr}`);
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as DrainRun;
  if (result.handled !== messages) {
    throw new Error(`${contender} handled ${result.handled} of ${messages}`);
  }
  return result;
}

/**
 * Scenario 1: N messages already on a stream (or a queue), a no-op handler, each consumer in
 * its own process: our engine, a BullMQ worker, and the raw XREADGROUP/XACK loop.
 */
export async function consumeBenchmark(options: ConsumeBenchOptions): Promise<BenchResult> {
  const { redisUri: uri, messages, aggregates } = options;
  const redis = new Redis(uri);
  const streamFilled = () => fillStreamForAll(redis, messages, aggregates);
  const engineName = ({ concurrency, batch }: EngineSetting) =>
    `ProteanEngine (concurrency ${concurrency}, batch ${batch})`;
  const bullName = (concurrency: number) => `BullMQ worker (concurrency ${concurrency})`;
  const rawName = `raw XREADGROUP/XACK (COUNT ${options.rawBatch})`;
  // The raw loop doing, step by step, what the engine does to a message: what any consumer of
  // these envelopes does at least, then the engine's unit of work. What the engine adds past
  // the last is its subscription (order per aggregate, concurrency, retries, batched acks).
  const references = {
    decode: { contender: 'raw-decode', name: `${rawName} + decode and check` },
    handler_call: {
      contender: 'raw-call',
      name: `${rawName} + decode, check, call an async handler in its scope`,
    },
    once: {
      contender: 'raw-once',
      name: `${rawName} + decode, check, call it once in a unit of work (memory)`,
    },
  } as const;
  const drains: Array<{ name: string; drain: () => Promise<DrainRun> }> = [
    ...options.engineSettings.map((setting) => ({
      name: engineName(setting),
      drain: async () => {
        await streamFilled();
        const { concurrency, batch } = setting;
        return drainInProcess('engine', uri, messages, concurrency, batch);
      },
    })),
    ...options.bullmqConcurrencies.map((concurrency) => ({
      name: bullName(concurrency),
      drain: async () => {
        await fillQueue(uri, messages, aggregates);
        return drainInProcess('bullmq', uri, messages, concurrency, 1);
      },
    })),
    {
      name: rawName,
      drain: async () => {
        await streamFilled();
        return drainInProcess('raw', uri, messages, 1, options.rawBatch);
      },
    },
    ...Object.values(references).map(({ contender, name }) => ({
      name,
      drain: async () => {
        await streamFilled();
        return drainInProcess(contender, uri, messages, 1, options.rawBatch);
      },
    })),
  ];
  /** Per contender, the rate of each run's second half (the code warm, the heap grown). */
  const secondHalf = new Map<string, number[]>();
  const cpu = new CpuPerMessage(messages);
  const contenders = drains.map(({ name, drain }) => ({
    name,
    run: async () => {
      const run = await drain();
      const halfRate = ((messages - Math.ceil(messages / 2)) / run.secondHalfMs) * 1000;
      secondHalf.set(name, [...(secondHalf.get(name) ?? []), halfRate]);
      cpu.add(name, run);
      return (messages / run.ms) * 1000;
    },
  }));
  try {
    const samples = await alternate<number>(contenders, options.rounds);
    // Each side at its best setting (by median), as a user would tune it.
    const oursName = bestOf(samples, options.engineSettings.map(engineName));
    const bullBest = bestOf(samples, options.bullmqConcurrencies.map(bullName));
    const ours = medianOf(samples, oursName);
    const bull = medianOf(samples, bullBest);
    const raw = medianOf(samples, rawName);
    const oursHalf = medianOf(secondHalf, oursName);
    const rawHalf = medianOf(secondHalf, rawName);
    const scenario = `1 consume ${grouped(messages)} msgs, no-op`;
    const rows: BenchRow[] = contenders.map(({ name }) => {
      const value = medianOf(samples, name);
      const isOurs = name.startsWith('ProteanEngine');
      return {
        scenario,
        contender: name,
        figures: {
          'median /s': grouped(value),
          'ours ÷ peer': isOurs ? '' : ratio(ours, value),
          note: [
            name === oursName || name === bullBest ? 'best of its kind' : '',
            `second half ${grouped(medianOf(secondHalf, name))}/s` +
              (isOurs ? '' : ` (${ratio(oursHalf, medianOf(secondHalf, name))})`),
            cpu.note(name),
          ]
            .filter(Boolean)
            .join('; '),
        },
      };
    });
    return {
      key: 'consume',
      rows,
      data: {
        messages,
        rounds: options.rounds,
        contenders: roundedSamples(samples),
        best: { engine: oursName, bullmq: bullBest },
        median_per_s: { engine: Math.round(ours), bullmq: Math.round(bull), raw: Math.round(raw) },
        ratio_vs_bullmq: Number((ours / bull).toFixed(3)),
        ratio_vs_raw: Number((ours / raw).toFixed(3)),
        // Each run's second half: the engine's code warm and its heap grown, as in a worker
        // that has run for a while; the raw loop has next to nothing to warm up.
        second_half_per_s: roundedSamples(secondHalf),
        second_half_median_per_s: { engine: Math.round(oursHalf), raw: Math.round(rawHalf) },
        second_half_ratio_vs_raw: Number((oursHalf / rawHalf).toFixed(3)),
        cpu_us_per_message: cpu.medians(),
        // The raw loop doing the least a consumer does: ratios to the raw loop, as the engine's.
        references_ratio_vs_raw: Object.fromEntries(
          Object.entries(references).map(([key, { name }]) => [
            key,
            Number((medianOf(samples, name) / raw).toFixed(3)),
          ]),
        ),
        targets: { vs_bullmq: 1.5, vs_raw: 0.5 },
      },
    };
  } finally {
    await redis.del(PING_STREAM);
    redis.disconnect();
  }
}

/** Each contender's CPU time a message (its process, over the drain), run by run. */
class CpuPerMessage {
  private readonly runs = new Map<string, number[]>();

  constructor(private readonly messages: number) {}

  add(name: string, run: DrainRun): void {
    this.runs.set(name, [...(this.runs.get(name) ?? []), (run.cpuMs * 1000) / this.messages]);
  }

  /** `CPU 12.3 µs/msg`: the median of the contender's runs. */
  note(name: string): string {
    return this.runs.has(name) ? `CPU ${medianOf(this.runs, name).toFixed(1)} µs/msg` : '';
  }

  medians(): Record<string, number> {
    return Object.fromEntries(
      [...this.runs.keys()].map((name) => [name, Number(medianOf(this.runs, name).toFixed(1))]),
    );
  }
}

export interface ConsumeOnPostgresOptions {
  readonly redisUri: string;
  readonly messages: number;
  readonly rounds: number;
  readonly aggregates: number;
  readonly engineSettings: readonly EngineSetting[];
  readonly rawBatch: number;
}

/**
 * Scenario 1, on the production database: the engine and the raw loop's `raw-once` each keep
 * their exactly-once records in PostgreSQL (one transaction a message, its processed-message
 * row inserted), as a worker does. The ratio is what the engine's subscription costs on top of
 * the same guarantees where a worker spends its time, not over a memory database.
 */
export async function consumeOnPostgresBenchmark(
  options: ConsumeOnPostgresOptions,
): Promise<BenchResult> {
  const { redisUri: uri, messages, aggregates } = options;
  const redis = new Redis(uri);
  const db = await createMigratedTestDatabase({ prefix: 'protean_bench_consume' });
  const env = { [BENCH_DATABASE_URI]: db.uri };
  const engineName = ({ concurrency, batch }: EngineSetting) =>
    `ProteanEngine on PostgreSQL (concurrency ${concurrency}, batch ${batch})`;
  const rawName = `raw XREADGROUP/XACK (COUNT ${options.rawBatch}) + decode, check, once in a PostgreSQL transaction`;
  const drains: Array<{ name: string; drain: () => Promise<DrainRun> }> = [
    ...options.engineSettings.map((setting) => ({
      name: engineName(setting),
      drain: () =>
        drainInProcess('engine-pg', uri, messages, setting.concurrency, setting.batch, [], env),
    })),
    {
      name: rawName,
      drain: () => drainInProcess('raw-once-pg', uri, messages, 1, options.rawBatch, [], env),
    },
  ];
  const cpu = new CpuPerMessage(messages);
  const contenders = drains.map(({ name, drain }) => ({
    name,
    run: async () => {
      await fillStreamForAll(redis, messages, aggregates);
      const run = await drain();
      cpu.add(name, run);
      return (messages / run.ms) * 1000;
    },
  }));
  try {
    const samples = await alternate<number>(contenders, options.rounds);
    const oursName = bestOf(samples, options.engineSettings.map(engineName));
    const ours = medianOf(samples, oursName);
    const raw = medianOf(samples, rawName);
    const scenario = `1 consume ${grouped(messages)} msgs, once on PostgreSQL`;
    const rows: BenchRow[] = contenders.map(({ name }) => {
      const isOurs = name.startsWith('ProteanEngine');
      return {
        scenario,
        contender: name,
        figures: {
          'median /s': grouped(medianOf(samples, name)),
          'ours ÷ peer': isOurs ? '' : ratio(ours, medianOf(samples, name)),
          note: [name === oursName ? 'best of its kind' : '', cpu.note(name)]
            .filter(Boolean)
            .join('; '),
        },
      };
    });
    return {
      key: 'consume-postgresql',
      rows,
      data: {
        messages,
        rounds: options.rounds,
        contenders: roundedSamples(samples),
        best: { engine: oursName },
        median_per_s: { engine: Math.round(ours), raw_once: Math.round(raw) },
        ratio_vs_raw_once: Number((ours / raw).toFixed(3)),
        cpu_us_per_message: cpu.medians(),
      },
    };
  } finally {
    await redis.del(PING_STREAM);
    redis.disconnect();
    await db.drop();
  }
}

/**
 * Scenario 5: the engine's process draining `messages` (the same no-op handler), its peak RSS
 * (`getrusage` max RSS: start-up included, the memory database's processed-message records too).
 */
export async function memoryBenchmark(options: {
  readonly redisUri: string;
  readonly messages: number;
  readonly targetMb: number;
}): Promise<BenchResult> {
  const redis = new Redis(options.redisUri);
  try {
    await fillStream(redis, options.messages, 1000);
    const run = await drainInProcess('engine', options.redisUri, options.messages, 50, 500);
    return {
      key: 'memory',
      rows: [
        {
          scenario: `5 memory, drain ${grouped(options.messages)} msgs`,
          contender: 'ProteanEngine worker process',
          figures: {
            'median /s': grouped((options.messages / run.ms) * 1000),
            note: `peak RSS ${run.maxRssMb.toFixed(0)} MB (target < ${options.targetMb})`,
          },
        },
      ],
      data: {
        messages: options.messages,
        peak_rss_mb: Math.round(run.maxRssMb),
        target_mb: options.targetMb,
        per_s: Math.round((options.messages / run.ms) * 1000),
      },
    };
  } finally {
    await redis.del(PING_STREAM);
    redis.disconnect();
  }
}
