import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { SpawnedRedis } from '../test/support/spawned-redis.js';
import { drainInProcess, fillStream } from './consume/consume.bench.js';
import { topSelfTime } from './support/cpu-profile-summary.js';

/**
 * `node dist/bench/profile-consume.js [messages]`: scenario 1's engine drain under
 * V8's CPU profiler (as `node --cpu-prof`), then the top functions by self time (the summary in docs/benchmarks.md).
 */
async function main(): Promise<void> {
  const messages = Number(process.argv[2] ?? 50_000);
  const redis = await SpawnedRedis.start();
  const client = new Redis(redis.uri);
  const dir = mkdtempSync(join(tmpdir(), 'protean-profile-'));
  try {
    await fillStream(client, messages, 1000);
    const file = join(dir, 'consume-engine.cpuprofile');
    process.env.BENCH_CPU_PROFILE = file;
    const run = await drainInProcess('engine', redis.uri, messages, 50, 500);
    process.stdout.write(`${messages} messages in ${run.ms.toFixed(0)} ms under the profiler\n`);
    process.stdout.write(`profile: ${file}\n\nself ms  self %  function\n`);
    for (const entry of topSelfTime(file, 20)) {
      process.stdout.write(
        `${entry.ms.toFixed(0).padStart(7)}  ${entry.percent.toFixed(1).padStart(5)}  ${entry.name} ${entry.where}\n`,
      );
    }
  } finally {
    client.disconnect();
    await redis.stop();
  }
}

void main();
