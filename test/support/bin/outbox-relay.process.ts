/*
 * TEST-ONLY process: an outbox processor in a process of its own, for tests that run several
 * and kill them. Built by the e2e global setup (test/support/bin/tsconfig.bin.json). Settings
 * come from OUTBOX_RELAY_* variables; OUTBOX_RELAY_CRASH_AFTER_PUBLISH=1 makes it SIGKILL itself
 * right after its first batch reached Redis and before the rows are marked published — the
 * crash hook lives in this test's broker stand-in, nowhere in the processor.
 */
import 'reflect-metadata';
import { startOutboxApp } from '../counter-domain.js';
import { RedisStreamPublisher } from '../redis-stream-publisher.js';
import { OutboxProcessor } from 'nestjs-protean';

const env = (name: string, fallback?: string): string => {
  const value = process.env[`OUTBOX_RELAY_${name}`] ?? fallback;
  if (value === undefined) throw new Error(`OUTBOX_RELAY_${name} is required`);
  return value;
};

async function main(): Promise<void> {
  const crash = env('CRASH_AFTER_PUBLISH', '0') === '1';
  const broker = new RedisStreamPublisher(env('REDIS_URL'), {
    afterPublish: crash ? () => process.kill(process.pid, 'SIGKILL') : undefined,
  });
  const app = await startOutboxApp({
    domain: 'relay',
    databaseUri: env('DATABASE_URI'),
    broker,
    relay: true,
    overrides: {
      outbox: {
        messages_per_tick: Number(env('BATCH', '100')),
        lease_seconds: Number(env('LEASE_SECONDS', '30')),
        tick_interval: 0.2,
      },
    },
  });
  const processor = app.get(OutboxProcessor);
  process.stdout.write(`relay ready ${processor.owner}\n`);
  process.once('SIGTERM', () => {
    void app.close().then(async () => {
      await broker.close();
      process.stdout.write(`relay published ${processor.totals.published}\n`);
      process.exit(0);
    });
  });
}

void main();
