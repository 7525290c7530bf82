/*
 * BENCH-ONLY process: drains a stream (or a BullMQ queue) already filled by the parent with one
 * contender, then prints one JSON line: `{"handled", "ms", "maxRssMb"}`. A process per run, so
 * every contender starts from the same clean heap and its peak RSS is its own.
 *
 *   node consumer.process.js <engine|bullmq|raw|raw-…> <uri> <messages> <concurrency> <batch>
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { Worker } from 'bullmq';
import { deserializeEnvelope } from 'nestjs-protean';
import { MemoryDatabase } from 'nestjs-protean/internal/adapters/memory/memory-database.js';
import { HandlerRunner } from 'nestjs-protean/internal/application/handler-runner.js';
import { EnvelopeFactory } from 'nestjs-protean/internal/core/messages/envelope-factory.js';
import { UnitOfWorkManager } from 'nestjs-protean/internal/model/unit-of-work-manager.js';
import { CorrelationContext } from 'nestjs-protean/internal/core/context/correlation-context.js';
import {
  instantiate,
  problemsOf,
} from 'nestjs-protean/internal/core/messages/message-validation.js';
import { drainWithEngine } from './engine-consumer.js';
import {
  BENCH_DOMAIN,
  BULLMQ_QUEUE,
  PING_STREAM,
  Pinged,
  RAW_GROUP,
  type Contender,
} from './bench-domain.js';
import { runProcess } from '../support/run-process.js';

async function drainWithBullmq(uri: string, messages: number, concurrency: number) {
  let completed = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const started = performance.now();
  const worker = new Worker(BULLMQ_QUEUE, async () => undefined, {
    connection: { url: uri, maxRetriesPerRequest: null },
    concurrency,
    removeOnComplete: { count: 0 },
  });
  let halfAt = 0;
  worker.on('completed', () => {
    if (++completed === Math.ceil(messages / 2)) halfAt = performance.now();
    if (completed === messages) done();
  });
  await finished;
  const ended = performance.now();
  await worker.close();
  return { handled: completed, ms: ended - started, secondHalfMs: ended - halfAt };
}

/** The envelope decoded and checked as the engine does it, to its message instance. */
function decoded(data: string): { instance: Pinged; correlationId: string; id: string } {
  const envelope = deserializeEnvelope(data);
  const instance = instantiate(Pinged, envelope.payload);
  if (problemsOf(instance).length > 0) throw new Error(`invalid ${envelope.id}`);
  return { instance, correlationId: envelope.metadata.correlationId, id: envelope.id };
}

/** The no-op handler of `raw-call`. */
async function noop(_event: Pinged): Promise<void> {}

/** `raw-once`'s runner: the engine's, on a memory database of its own. */
const runner = new HandlerRunner(
  new UnitOfWorkManager(new MemoryDatabase(), new EnvelopeFactory(BENCH_DOMAIN)),
);

/**
 * Of the batch's entries (`data` fields): nothing (`raw`), decoded (`raw-decode`), or decoded
 * and each handed to an async handler, all awaited: in its correlation scope (`raw-call`), or
 * as the engine's subscription hands it on (`raw-once`).
 */
async function rawWork(contender: Contender, batch: readonly string[]): Promise<void> {
  if (contender === 'raw') return;
  if (contender === 'raw-decode') {
    for (const data of batch) decoded(data);
    return;
  }
  const conflicts = { budgetMs: 60_000 };
  await Promise.all(
    batch.map((data) => {
      const { instance, correlationId, id } = decoded(data);
      const ids = { correlationId, causationId: id };
      if (contender === 'raw-once')
        return runner.runOnce('NoopPingHandler', id, ids, () => noop(instance), conflicts);
      return CorrelationContext.run({ ...ids, messageId: id }, () => noop(instance));
    }),
  );
}

/**
 * The floor: one connection, `XREADGROUP COUNT <batch>`, then one `XACK` of the batch, with
 * {@link rawWork} between the two.
 */
async function drainRaw(contender: Contender, uri: string, messages: number, batch: number) {
  const redis = new Redis(uri);
  await redis.ping();
  let handled = 0;
  let halfAt = 0;
  const started = performance.now();
  while (handled < messages) {
    const reply = (await redis.xreadgroup(
      'GROUP',
      RAW_GROUP,
      'raw-consumer',
      'COUNT',
      batch,
      'BLOCK',
      1000,
      'STREAMS',
      PING_STREAM,
      '>',
    )) as [string, [string, string[]][]][] | null;
    if (!reply) continue;
    const entries = reply[0][1];
    const ids: string[] = [];
    const data: string[] = [];
    for (const [id, fields] of entries) {
      if (fields[1] === undefined) throw new Error(`entry ${id} has no data`);
      ids.push(id);
      data.push(fields[1]);
    }
    await rawWork(contender, data);
    await redis.xack(PING_STREAM, RAW_GROUP, ...ids);
    const before = handled;
    handled += ids.length;
    if (before < messages / 2 && handled >= messages / 2) halfAt = performance.now();
  }
  const ended = performance.now();
  redis.disconnect();
  return { handled, ms: ended - started, secondHalfMs: ended - halfAt };
}

async function main(): Promise<void> {
  const [name, uri, messagesArg, concurrencyArg, batchArg] = process.argv.slice(2);
  const contender = name as Contender;
  const messages = Number(messagesArg);
  const concurrency = Number(concurrencyArg);
  const batch = Number(batchArg);
  const result =
    contender === 'engine'
      ? await drainWithEngine(uri, messages, concurrency, batch)
      : contender === 'bullmq'
        ? await drainWithBullmq(uri, messages, concurrency)
        : await drainRaw(contender, uri, messages, batch);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ...result, maxRssMb })}\n`);
}

runProcess(main);
