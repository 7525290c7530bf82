import type { TestingModule } from '@nestjs/testing';
import { CaptureLogger } from '../../../../../test/support/capture-logger.js';
import {
  Bump,
  Counters,
  startOutboxApp,
  type OutboxAppOptions,
} from '../../../../../test/support/counter-domain.js';
import {
  createMigratedTestDatabase,
  type TestDatabase,
} from '../../../../../test/support/postgres.js';
import { PROCESS_POLL } from '../../../../../test/support/processes.js';
import { RecordingBroker } from '../../../../../test/support/recording-broker.js';
import { RedisStreamPublisher } from '../../../../../test/support/redis-stream-publisher.js';
import { REDIS_URL, StreamReader } from '../../../../../test/support/redis.js';
import { SpawnedRedis } from '../../../../../test/support/spawned-redis.js';
import { CommandBus } from '../../application/command-bus.js';
import type { Database } from '../../ports/database/database.port.js';
import { serializeEnvelope } from '../../core/messages/envelope-codec.js';
import type { MessageEnvelope } from '../../core/messages/message-envelope.js';
import { DATABASE, OUTBOX_STORE } from '../../core/protean.tokens.js';
import { OutboxProcessor } from './outbox-processor.js';
import { RedisStreamsBroker } from '../../adapters/redis/streams/redis-streams.broker.js';
import { resolveBrokerSettings } from '../../adapters/brokers/broker-settings.js';
import { partitionOf } from '../../core/messages/stream-partitions.js';
import type { OutboxStore } from '../../ports/outbox/outbox-store.port.js';
import { BrokerConnectionError } from '../../ports/broker/broker-connection.error.js';
import { eventually } from '../../operations/testing/eventually.js';

let db: TestDatabase;
let streams: StreamReader;
const apps: TestingModule[] = [];

beforeAll(async () => {
  db = await createMigratedTestDatabase();
  streams = new StreamReader();
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await streams.deleteDomains();
  await db.query('TRUNCATE outbox, aggregates');
});

afterAll(async () => {
  await streams.close();
  await db.drop();
});

async function app(options: Omit<OutboxAppOptions, 'databaseUri'>): Promise<TestingModule> {
  const started = await startOutboxApp({ databaseUri: db.uri, ...options });
  apps.push(started);
  return started;
}

const domain = () => streams.newDomain();

interface OutboxRow {
  message_id: string;
  stream_name: string;
  type: string;
  kind: string;
  status: string;
  retry_count: number;
  last_error: string | null;
  delay: number | null;
}

const outboxRows = () =>
  db.query<OutboxRow>(
    `SELECT message_id, stream_name, type, kind, status, retry_count, last_error,
            extract(epoch FROM next_retry_at - last_attempt_at)::float8 AS delay
     FROM outbox ORDER BY id`,
  );

describe('outbox writer', () => {
  it('writes events and async commands with the aggregate, and nothing when the unit of work fails', async () => {
    const name = domain();
    const nest = await app({
      domain: name,
      broker: new RecordingBroker(),
      overrides: { outbox: { publish_after_commit: false } },
    });
    const counters = nest.get(Counters);

    await expect(
      counters.bump('c1', 2, () => {
        throw new Error('handler failed after saving');
      }),
    ).rejects.toThrow('handler failed after saving');
    await expect(db.query('SELECT * FROM aggregates')).resolves.toEqual([]);
    await expect(outboxRows()).resolves.toEqual([]);

    await counters.bump('c1', 2);
    await nest.get(CommandBus).process(Object.assign(new Bump(), { counterId: 'c1' }));
    const rows = await outboxRows();
    expect(
      rows.map(({ stream_name, type, kind, status }) => [stream_name, type, kind, status]),
    ).toEqual([
      [`${name}::counter-c1`, `${name}.Bumped.v1`, 'EVENT', 'pending'],
      [`${name}::counter-c1`, `${name}.Bumped.v1`, 'EVENT', 'pending'],
      [`${name}::counter:command-c1`, `${name}.Bump.v1`, 'COMMAND', 'pending'],
    ]);
    await expect(db.query('SELECT version FROM aggregates')).resolves.toEqual([{ version: 1 }]);
  });

  it('writes nothing when the outbox is disabled or processing is sync', async () => {
    const disabled = await app({
      domain: domain(),
      broker: new RecordingBroker(),
      overrides: { enable_outbox: false },
    });
    await disabled.get(Counters).bump('c1');
    const sync = await app({
      domain: domain(),
      broker: new RecordingBroker(),
      overrides: { event_processing: 'sync', command_processing: 'sync' },
    });
    await sync.get(Counters).bump('c2');
    await expect(outboxRows()).resolves.toEqual([]);
  });
});

describe('outbox processor', () => {
  it('publishes each row to its category stream as the JSON envelope, in commit order', async () => {
    const name = domain();
    const broker = new RedisStreamPublisher(REDIS_URL);
    const nest = await app({
      domain: name,
      broker,
      overrides: { outbox: { messages_per_tick: 2 } },
    });
    try {
      await nest.get(Counters).bump('c1', 3);
      await nest.get(Counters).bump('c2', 1);
      await nest.get(CommandBus).process(Object.assign(new Bump(), { counterId: 'c1' }));
      const processor = nest.get(OutboxProcessor);
      while ((await processor.processBatch()).claimed > 0);

      const stored = await db.query<{ message_id: string; data: string; metadata: string }>(
        'SELECT message_id, data::text, metadata::text FROM outbox ORDER BY id',
      );
      const events = await streams.raw(`${name}::counter`);
      const envelopes = events.map((data) => JSON.parse(data) as Record<string, unknown>);
      expect(envelopes.map((envelope) => envelope.payload)).toEqual([
        { counterId: 'c1', value: 1 },
        { counterId: 'c1', value: 2 },
        { counterId: 'c1', value: 3 },
        { counterId: 'c2', value: 1 },
      ]);
      expect(envelopes.map((envelope) => envelope.id)).toEqual(
        stored.slice(0, 4).map((row) => row.message_id),
      );
      // Byte for byte the envelope's serialization, rebuilt from what was stored.
      expect(events[0]).toBe(
        serializeEnvelope({
          ...(envelopes[0] as unknown as MessageEnvelope),
          payload: JSON.parse(stored[0].data),
          metadata: JSON.parse(stored[0].metadata),
        }),
      );
      const commands = await streams.envelopes(`${name}::counter:command`);
      expect(commands).toMatchObject([{ kind: 'COMMAND', type: `${name}.Bump.v1` }]);
      expect((await outboxRows()).every((row) => row.status === 'published')).toBe(true);
    } finally {
      await broker.close();
    }
  });

  it('retries on the backoff schedule while publishing fails (a stand-in broker that reports no outage), publishes when it works again, abandons after max_attempts', async () => {
    const name = domain();
    const redis = await SpawnedRedis.start();
    const broker = new RedisStreamPublisher(redis.uri);
    const logger = new CaptureLogger();
    const nest = await app({
      domain: name,
      broker,
      logger,
      overrides: {
        outbox: {
          publish_after_commit: false,
          retry: { max_attempts: 3, base_delay_seconds: 0.2, max_delay_seconds: 0.3, jitter: 0 },
        },
      },
    });
    const processor = nest.get(OutboxProcessor);
    const attempt = () =>
      eventually(async () => (await processor.processBatch()).claimed > 0, {
        ...PROCESS_POLL,
        intervalMs: 20,
        what: 'a due outbox row',
      });
    try {
      await redis.stop();
      await nest.get(Counters).bump('doomed');

      await attempt();
      expect(await outboxRows()).toMatchObject([{ status: 'failed', retry_count: 1, delay: 0.2 }]);
      // Not due before its delay: an immediate claim finds nothing.
      await expect(processor.processBatch()).resolves.toMatchObject({ claimed: 0 });
      await attempt();
      expect(await outboxRows()).toMatchObject([{ status: 'failed', retry_count: 2, delay: 0.3 }]);
      await attempt();
      const [abandoned] = await outboxRows();
      expect(abandoned).toMatchObject({ status: 'abandoned', retry_count: 3 });
      expect(abandoned.last_error).toMatch(/writeable|connect|ECONNREFUSED/i);
      expect(logger.errors().join('\n')).toContain('abandoned after 3 attempts');

      await nest.get(Counters).bump('survivor');
      await attempt();
      expect((await outboxRows())[1]).toMatchObject({ status: 'failed', retry_count: 1 });
      await redis.start();
      await eventually(async () => (await processor.processBatch()).published > 0, {
        ...PROCESS_POLL,
        intervalMs: 50,
        what: 'the row to be published once Redis is back',
      });
      await expect(nest.get<OutboxStore>(OUTBOX_STORE).retryAbandoned()).resolves.toBe(1);
      await expect(processor.processBatch()).resolves.toMatchObject({ published: 1 });

      const published = new StreamReader(redis.uri);
      try {
        const payloads = (await published.envelopes(`${name}::counter`)).map((e) => e.payload);
        expect(payloads).toEqual([
          { counterId: 'survivor', value: 1 },
          { counterId: 'doomed', value: 1 },
        ]);
      } finally {
        await published.close();
      }
      expect((await outboxRows()).map((row) => row.status)).toEqual(['published', 'published']);
    } finally {
      await broker.close();
      await redis.stop();
    }
  });

  it("relays a partitioned category to its aggregates' partitions, and refuses a count its workers do not read", async () => {
    const name = domain();
    const category = `${name}::counter`;
    const redis = await SpawnedRedis.start();
    const broker = new RedisStreamsBroker(
      'default',
      resolveBrokerSettings({
        provider: 'redis',
        uri: redis.uri,
        max_payload_bytes: 1024 * 1024,
        max_stream_length: 0,
      }),
    );
    const published = new StreamReader(redis.uri);
    try {
      // Its workers read it in 4 partitions, as they recorded and announce.
      await broker.recordPartitionLayout(category, 4);
      await broker.announceWorker(
        {
          consumer: 'w-4',
          host: 'h',
          pid: 4,
          handlers: ['CounterProjector'],
          pool: null,
          startedAt: new Date().toISOString(),
          seenAt: new Date().toISOString(),
          partitions: { [category]: 4 },
        },
        60_000,
      );
      const stale = await app({
        domain: name,
        broker,
        overrides: { outbox: { publish_after_commit: false } },
      });
      await expect(stale.get(OutboxProcessor).start()).rejects.toThrow(
        `streams.${category}.partitions: is 1 in this process, but 1 running worker(s) read "${category}" in 4 partition(s)`,
      );

      const routed = await app({
        domain: name,
        broker,
        overrides: {
          outbox: { publish_after_commit: false },
          streams: { [category]: { partitions: 4 } },
        },
      });
      await routed.get(Counters).bump('c1', 2);
      const processor = routed.get(OutboxProcessor);
      while ((await processor.processBatch()).claimed > 0);
      const partition = `${category}#${partitionOf('c1', 4)}`;
      expect((await published.envelopes(partition)).map((e) => e.payload)).toEqual([
        { counterId: 'c1', value: 1 },
        { counterId: 'c1', value: 2 },
      ]);
      expect(await published.length(category)).toBe(0);
    } finally {
      await published.close();
      await broker.close();
      await redis.stop();
    }
  });

  it('wakes the relay far sooner than the tick for a commit, from this process and from another', async () => {
    const name = domain();
    const broker = new RedisStreamPublisher(REDIS_URL);
    // Every row waits for the relay: nobody publishes after commit.
    const settings = { outbox: { tick_interval: 1, publish_after_commit: false } };
    const relay = await app({ domain: name, broker, relay: true, overrides: settings });
    // Another application context stands for another process: it can only wake the relay
    // through PostgreSQL NOTIFY.
    const producer = await app({
      domain: name,
      broker: new RecordingBroker(),
      overrides: settings,
    });
    expect(relay.get(OutboxProcessor).isRunning).toBe(true);
    expect(producer.get(OutboxProcessor).isRunning).toBe(false);
    const reader = new StreamReader();
    try {
      const latencies: number[] = [];
      let lastId = '$';
      for (const [n, writer] of [relay, producer, relay, producer, relay, producer].entries()) {
        const committed = Date.now();
        await writer.get(Counters).bump(`c${n}`);
        const reply = await reader.client.xread(
          'BLOCK',
          5000,
          'STREAMS',
          `${name}::counter`,
          lastId,
        );
        latencies.push(Date.now() - committed);
        expect(reply).not.toBeNull();
        lastId = reply![0][1].at(-1)![0];
      }
      // Polling alone would average 500 ms; every commit here is published far sooner.
      expect(Math.max(...latencies)).toBeLessThan(300);
    } finally {
      await reader.close();
      await broker.close();
    }
  });

  it('keeps the rows of each aggregate in commit order across concurrent processors', async () => {
    const name = domain();
    const broker = new RedisStreamPublisher(REDIS_URL);
    const settings = {
      outbox: { messages_per_tick: 3, tick_interval: 0.05, publish_after_commit: false },
    };
    const writer = await app({ domain: name, broker, overrides: settings });
    for (let round = 0; round < 8; round++) {
      await Promise.all(
        Array.from({ length: 6 }, (_, n) => writer.get(Counters).bump(`c${n}`, 1 + (round % 2))),
      );
    }
    const total = 6 * (8 + 4);
    const relays = await Promise.all(
      [1, 2, 3].map(() => app({ domain: name, broker, relay: true, overrides: settings })),
    );
    try {
      await eventually(async () => (await streams.length(`${name}::counter`)) >= total, {
        ...PROCESS_POLL,
        what: `${total} entries`,
      });
      const events = await streams.envelopes(`${name}::counter`);
      expect(events).toHaveLength(total);
      for (let n = 0; n < 6; n++) {
        const values = events
          .filter((event) => event.payload.counterId === `c${n}`)
          .map((event) => event.payload.value);
        expect(values).toEqual(Array.from({ length: 12 }, (_, v) => v + 1));
      }
      const busy = relays.filter((relay) => relay.get(OutboxProcessor).totals.published > 0);
      expect(busy.length).toBeGreaterThan(1);
    } finally {
      await broker.close();
    }
  });

  it('finishes the batch in flight before the database closes', async () => {
    const broker = new RecordingBroker();
    let release!: () => void;
    broker.hold = new Promise((resolve) => (release = resolve));
    const publishing = broker.nextPublish();
    const nest = await startOutboxApp({
      domain: domain(),
      databaseUri: db.uri,
      broker,
      relay: true,
    });
    // Record the order of what matters; the held batch goes on once shutdown asks it to stop.
    const timeline: string[] = [];
    const store = nest.get<OutboxStore>(OUTBOX_STORE);
    const markPublished = store.markPublished.bind(store);
    store.markPublished = async (...args) => {
      const marked = await markPublished(...args);
      timeline.push('batch marked');
      return marked;
    };
    const database = nest.get<Database>(DATABASE);
    const closeDatabase = database.close.bind(database);
    database.close = () => {
      timeline.push('database closing');
      return closeDatabase();
    };
    const processor = nest.get(OutboxProcessor);
    const stop = processor.stop.bind(processor);
    processor.stop = () => {
      release();
      return stop();
    };

    await nest.get(Counters).bump('c1');
    await publishing;
    await nest.close();

    expect(timeline).toEqual(['batch marked', 'database closing']);
    await expect(outboxRows()).resolves.toMatchObject([{ status: 'published' }]);
  });

  it('starts with the application only where asked and enabled', async () => {
    const cases: Array<[Partial<OutboxAppOptions>, boolean]> = [
      [{ relay: true }, true],
      [{}, false],
      [{ relay: true, overrides: { server: { run_outbox_processor: false } } }, false],
      [{ relay: true, overrides: { enable_outbox: false } }, false],
    ];
    for (const [options, running] of cases) {
      const nest = await app({ domain: domain(), broker: new RecordingBroker(), ...options });
      expect(nest.get(OutboxProcessor).isRunning).toBe(running);
    }
  });

  it('deletes published rows past their retention', async () => {
    const nest = await app({
      domain: domain(),
      broker: new RecordingBroker(),
      overrides: {
        outbox: {
          publish_after_commit: false,
          cleanup: { published_retention_hours: 1, batch_size: 2 },
        },
      },
    });
    await nest.get(Counters).bump('c1', 5);
    const processor = nest.get(OutboxProcessor);
    await processor.processBatch();
    await expect(processor.cleanup()).resolves.toBe(0);
    await db.query(`UPDATE outbox SET published_at = published_at - interval '61 minutes'`);
    await expect(processor.cleanup()).resolves.toBe(5);
  });
});

describe('publishing after commit', () => {
  const values = (published: readonly { data: string }[]) =>
    published.map((entry) => (JSON.parse(entry.data) as MessageEnvelope).payload);

  /** An application that publishes its own commits, with no relay loop running (as `start()` would make it). */
  async function selfPublishing(options: Omit<OutboxAppOptions, 'databaseUri'>) {
    const nest = await app(options);
    nest.get(OutboxProcessor).publishOwnCommits();
    return nest;
  }

  it('publishes a commit right after it from the committing process, with no relay running, and marks it published', async () => {
    const name = domain();
    const broker = new RedisStreamPublisher(REDIS_URL);
    const nest = await selfPublishing({ domain: name, broker });
    try {
      const processor = nest.get(OutboxProcessor);
      expect(processor.isRunning).toBe(false);
      await nest.get(Counters).bump('c1', 2);
      await nest.get(CommandBus).process(Object.assign(new Bump(), { counterId: 'c1' }));

      await eventually(
        async () => (await outboxRows()).every((row) => row.status === 'published'),
        { ...PROCESS_POLL, what: 'every row marked published' },
      );
      const stored = await db.query<{ message_id: string; data: string; metadata: string }>(
        'SELECT message_id, data::text, metadata::text FROM outbox ORDER BY id',
      );
      const events = await streams.raw(`${name}::counter`);
      expect(events.map((data) => (JSON.parse(data) as MessageEnvelope).id)).toEqual(
        stored.slice(0, 2).map((row) => row.message_id),
      );
      // Byte for byte what the relay would have published from the row.
      const first = JSON.parse(events[0]) as MessageEnvelope;
      expect(events[0]).toBe(
        serializeEnvelope({
          ...first,
          payload: JSON.parse(stored[0].data),
          metadata: JSON.parse(stored[0].metadata),
        }),
      );
      await expect(streams.envelopes(`${name}::counter:command`)).resolves.toMatchObject([
        { kind: 'COMMAND' },
      ]);
      expect(processor.totals.published).toBe(3);
    } finally {
      await broker.close();
    }
  });

  it('writes a row behind an unpublished row of another process for the relay, which publishes both in order', async () => {
    const name = domain();
    const other = await app({
      domain: name,
      broker: new RecordingBroker(),
      overrides: { outbox: { publish_after_commit: false } },
    });
    await other.get(Counters).bump('c1');
    const broker = new RecordingBroker();
    const writer = await selfPublishing({ domain: name, broker });
    await writer.get(Counters).bump('c1');
    await writer.get(Counters).bump('c2');
    // c1's second row is due behind the first; c2's went out after its commit.
    expect((await outboxRows()).map((row) => [row.stream_name, row.status])).toEqual([
      [`${name}::counter-c1`, 'pending'],
      [`${name}::counter-c1`, 'pending'],
      [`${name}::counter-c2`, expect.stringMatching(/processing|published/)],
    ]);
    await eventually(() => broker.published.length === 1, {
      ...PROCESS_POLL,
      what: 'c2 published after its commit',
    });

    const relay = await app({ domain: name, broker, relay: true });
    await eventually(() => broker.published.length === 3, {
      ...PROCESS_POLL,
      what: 'the relay publishing c1',
    });
    expect(values(broker.published)).toEqual([
      { counterId: 'c2', value: 1 },
      { counterId: 'c1', value: 1 },
      { counterId: 'c1', value: 2 },
    ]);
    expect(relay.get(OutboxProcessor).isRunning).toBe(true);
  });

  it('publishes a row committed behind its own unpublished row after it, and hands it back when that one fails', async () => {
    const name = domain();
    const broker = new RecordingBroker();
    const nest = await selfPublishing({
      domain: name,
      broker,
      overrides: { outbox: { retry: { base_delay_seconds: 0.05, jitter: 0 } } },
    });
    const counters = nest.get(Counters);

    // In order: the second row is leased too, and published after the first.
    let release!: () => void;
    broker.hold = new Promise((resolve) => (release = resolve));
    const publishing = broker.nextPublish();
    await counters.bump('c1');
    await publishing;
    await counters.bump('c1');
    expect((await outboxRows()).map((row) => row.status)).toEqual(['processing', 'processing']);
    release();
    await eventually(async () => (await outboxRows()).every((row) => row.status === 'published'), {
      ...PROCESS_POLL,
      what: 'both rows published',
    });
    expect(values(broker.published)).toEqual([
      { counterId: 'c1', value: 1 },
      { counterId: 'c1', value: 2 },
    ]);

    // The first fails: the second, leased behind it, is handed back rather than overtaking it.
    broker.published.length = 0;
    broker.hold = new Promise((resolve) => (release = resolve));
    broker.failWith = new Error('refused by the broker');
    const failing = broker.nextPublish();
    await counters.bump('c1');
    await failing;
    await counters.bump('c1');
    release();
    await eventually(
      async () =>
        (await outboxRows())
          .slice(2)
          .map((row) => row.status)
          .join() === 'failed,pending',
      { ...PROCESS_POLL, what: 'the failed row and the one handed back behind it' },
    );
    expect(broker.published).toEqual([]);
    broker.failWith = undefined;
    broker.hold = undefined;
    const processor = nest.get(OutboxProcessor);
    await eventually(async () => (await processor.processBatch()).published > 0, {
      ...PROCESS_POLL,
      what: 'the relay publishing them once due',
    });
    expect(values(broker.published)).toEqual([
      { counterId: 'c1', value: 3 },
      { counterId: 'c1', value: 4 },
    ]);
  });

  it('hands rows back while the broker is unreachable, counting no attempt, and leaves the next commits to the relay', async () => {
    const name = domain();
    const broker = new RecordingBroker();
    broker.failWith = new BrokerConnectionError('default', 'Broker "default" unreachable');
    const logger = new CaptureLogger();
    const nest = await selfPublishing({ domain: name, broker, logger });
    const counters = nest.get(Counters);
    await counters.bump('c1');
    await eventually(
      async () => (await outboxRows()).map((row) => row.status).join() === 'pending',
      { ...PROCESS_POLL, what: 'the row handed back' },
    );
    await counters.bump('c2');
    expect((await outboxRows()).map((row) => [row.status, row.retry_count])).toEqual([
      ['pending', 0],
      ['pending', 0],
    ]);

    // Said once, not once per commit.
    const warned = logger.lines.filter(
      (line) => line.level === 'warn' && line.message.includes('Broker unreachable'),
    );
    expect(warned).toHaveLength(1);
    broker.failWith = undefined;
    await nest.get(OutboxProcessor).processBatch();
    expect(values(broker.published)).toEqual([
      { counterId: 'c1', value: 1 },
      { counterId: 'c2', value: 1 },
    ]);
  });

  it('leaves the rows of a writer that dies before publishing to the relay, once their lease expires', async () => {
    const name = domain();
    const stuck = new RecordingBroker();
    stuck.hold = new Promise(() => undefined); // never published: the writer is as good as dead
    const writer = await selfPublishing({
      domain: name,
      broker: stuck,
      overrides: { outbox: { lease_seconds: 1 }, server: { shutdown_grace_seconds: 0.1 } },
    });
    const publishing = stuck.nextPublish();
    await writer.get(Counters).bump('c1');
    await publishing;
    const broker = new RecordingBroker();
    await app({
      domain: name,
      broker,
      relay: true,
      overrides: { outbox: { tick_interval: 0.1 } },
    });
    await expect(outboxRows()).resolves.toMatchObject([{ status: 'processing' }]);
    await eventually(() => broker.published.length === 1, {
      ...PROCESS_POLL,
      what: 'the relay taking the row over after the lease',
    });
    await eventually(
      async () => (await outboxRows()).map((row) => row.status).join() === 'published',
      { ...PROCESS_POLL, what: 'the row marked by the relay' },
    );
  });
});
