/*
 * BENCH-ONLY process: drains a stream (or a BullMQ queue) already filled by the parent with one
 * contender, then prints one JSON line: `{"handled", "ms", "maxRssMb"}`. A process per run, so
 * every contender starts from the same clean heap and its peak RSS is its own.
 *
 *   node consumer.process.js <engine|bullmq|raw|raw-…> <uri> <messages> <concurrency> <batch>
 *
 * The `-pg` contenders keep their processed-message records in the migrated PostgreSQL
 * database named by `BENCH_DATABASE_URI`.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { Worker } from 'bullmq';
import { deserializeEnvelope, loadConfiguration } from 'nestjs-protean';
import { MemoryDatabase } from 'nestjs-protean/internal/adapters/memory/memory-database.js';
import { createDatabase } from 'nestjs-protean/internal/adapters/create-database.js';
import type { Database } from 'nestjs-protean/internal/ports/database/database.port.js';
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
  BENCH_DATABASE_URI,
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
  const cpuAt = process.cpuUsage();
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
  const cpu = process.cpuUsage(cpuAt);
  await worker.close();
  return {
    handled: completed,
    ms: ended - started,
    secondHalfMs: ended - halfAt,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
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

/** The database of the `-pg` contenders, from the parent's environment. */
function benchDatabaseUri(): string {
  const uri = process.env[BENCH_DATABASE_URI];
  if (!uri) throw new Error(`${BENCH_DATABASE_URI} must name the -pg contenders' database`);
  return uri;
}

/** The runner of `raw-once` (on a memory database) or `raw-once-pg`: the engine's. */
function onceRunner(database: Database): HandlerRunner {
  return new HandlerRunner(new UnitOfWorkManager(database, new EnvelopeFactory(BENCH_DOMAIN)));
}

/**
 * Of the batch's entries (`data` fields): nothing (`raw`), decoded (`raw-decode`), or decoded
 * and each handed to an async handler, all awaited: in its correlation scope (`raw-call`), or
 * as the engine's subscription hands it on (`raw-once`).
 */
async function rawWork(
  contender: Contender,
  batch: readonly string[],
  runner: HandlerRunner | undefined,
): Promise<void> {
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
      if (runner)
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
  const database =
    contender === 'raw-once'
      ? new MemoryDatabase()
      : contender === 'raw-once-pg'
        ? createDatabase(
            'default',
            loadConfiguration({
              embedded: true,
              overrides: {
                databases: {
                  default: { provider: 'postgresql', database_uri: benchDatabaseUri() },
                },
              },
            }).databases.default,
          )
        : undefined;
  const runner = database && onceRunner(database);
  const redis = new Redis(uri);
  await redis.ping();
  if (database?.provider === 'postgresql') await database.ping(); // connected before the clock
  let handled = 0;
  let halfAt = 0;
  const cpuAt = process.cpuUsage();
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
    await rawWork(contender, data, runner);
    await redis.xack(PING_STREAM, RAW_GROUP, ...ids);
    const before = handled;
    handled += ids.length;
    if (before < messages / 2 && handled >= messages / 2) halfAt = performance.now();
  }
  const ended = performance.now();
  const cpu = process.cpuUsage(cpuAt);
  redis.disconnect();
  await database?.close();
  return {
    handled,
    ms: ended - started,
    secondHalfMs: ended - halfAt,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

async function main(): Promise<void> {
  const [name, uri, messagesArg, concurrencyArg, batchArg] = process.argv.slice(2);
  const contender = name as Contender;
  const messages = Number(messagesArg);
  const concurrency = Number(concurrencyArg);
  const batch = Number(batchArg);
  const result =
    contender === 'engine' || contender === 'engine-pg'
      ? await drainWithEngine(
          uri,
          messages,
          concurrency,
          batch,
          contender === 'engine-pg' ? benchDatabaseUri() : undefined,
        )
      : contender === 'bullmq'
        ? await drainWithBullmq(uri, messages, concurrency)
        : await drainRaw(contender, uri, messages, batch);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ...result, maxRssMb })}\n`);
}

runProcess(main);
