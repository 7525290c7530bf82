import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { loadConfiguration, EventHandler, ProteanModule, ProteanEngine } from 'nestjs-protean';
import { tuneWorkerHeap } from 'nestjs-protean/server';
import { BENCH_DOMAIN, PING_STREAM, Pinged } from './bench-domain.js';

/**
 * Counts what the no-op handler saw; the benchmark waits on it. `halfAt`: when half the target
 * was handled (`performance.now()`), for the rate of the drain's second half.
 */
export const handledCount = { value: 0, target: Infinity, halfAt: 0, reached: () => {} };

/** The no-op handler: our engine's cost is all that is measured. */
@EventHandler(Pinged)
export class NoopPingHandler {
  async handle(): Promise<void> {
    const handled = ++handledCount.value;
    if (handled === Math.ceil(handledCount.target / 2)) handledCount.halfAt = performance.now();
    if (handled === handledCount.target) handledCount.reached();
  }
}

@Module({ providers: [NoopPingHandler] })
class HandlersModule {}

/**
 * Our engine, as a worker runs it (ProteanEngine, StreamSubscription, the `redis` broker, the
 * heap as `runWorker` tunes it), draining `messages` Pinged events with `concurrency` handlers
 * at once and reads of `batch` (`messages_per_tick`). The processed-message records are kept
 * in the memory database, or in the PostgreSQL database at `databaseUri` when given.
 */
export async function drainWithEngine(
  uri: string,
  messages: number,
  concurrency: number,
  batch: number,
  databaseUri?: string,
) {
  tuneWorkerHeap();
  const config = loadConfiguration({
    embedded: true,
    overrides: {
      event_processing: 'async',
      brokers: { default: { provider: 'redis', uri } },
      ...(databaseUri
        ? { databases: { default: { provider: 'postgresql', database_uri: databaseUri } } }
        : {}),
      server: {
        default_subscription_type: 'stream', // it measures broker streams
        default_subscription_profile: 'production',
        messages_per_tick: batch,
        concurrency,
        retention_maxlen: 0,
      },
    },
  });
  const app = await NestFactory.createApplicationContext(
    {
      module: HandlersModule,
      imports: [ProteanModule.forRoot({ domain: BENCH_DOMAIN, config })],
    },
    { logger: ['error', 'warn'] },
  );
  const engine = app.get(ProteanEngine);
  const probe = new Redis(uri);
  handledCount.target = messages;
  const allHandled = new Promise<void>((resolve) => (handledCount.reached = resolve));
  const profiler = await startProfiler();
  const cpuAt = process.cpuUsage();
  const started = performance.now();
  await engine.start();
  await allHandled;
  // Finished means acknowledged: wait for the last pipelined XACK to reach Redis.
  while (Number((await probe.xpending(PING_STREAM, 'NoopPingHandler'))[0]) > 0) {
    await new Promise((next) => setImmediate(next));
  }
  const ended = performance.now();
  const cpu = process.cpuUsage(cpuAt);
  await profiler?.();
  probe.disconnect();
  await engine.stop();
  await app.close();
  return {
    handled: handledCount.value,
    ms: ended - started,
    secondHalfMs: ended - handledCount.halfAt,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

/**
 * With BENCH_CPU_PROFILE=<file>: V8's CPU profiler (what `node --cpu-prof` runs) over the drain
 * alone, so start-up and module loading stay out of the hot path's profile.
 */
async function startProfiler(): Promise<(() => Promise<void>) | undefined> {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}
