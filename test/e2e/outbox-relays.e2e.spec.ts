import { createMigratedTestDatabase, type TestDatabase } from '../support/postgres.js';
import { NodeProcess, OUTBOX_RELAY_MAIN, PROCESS_POLL } from '../support/processes.js';
import { REDIS_URL, StreamReader } from '../support/redis.js';
import { eventually } from 'nestjs-protean/testing';

/** Several processes and thousands of rows: well over the default five seconds. */
const TIMEOUT_MS = 90_000;

describe('outbox processors in separate processes', () => {
  let db: TestDatabase;
  let streams: StreamReader;
  const relays: NodeProcess[] = [];

  beforeAll(async () => {
    db = await createMigratedTestDatabase();
    streams = new StreamReader();
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop('SIGKILL')));
    await streams.deleteDomains();
    await db.query('TRUNCATE outbox');
  });

  afterAll(async () => {
    await streams.close();
    await db.drop();
  });

  async function startRelay(env: Record<string, string> = {}): Promise<NodeProcess> {
    const relay = new NodeProcess(OUTBOX_RELAY_MAIN, [], {
      OUTBOX_RELAY_DATABASE_URI: db.uri,
      OUTBOX_RELAY_REDIS_URL: REDIS_URL,
      ...env,
    });
    relays.push(relay);
    await relay.whileRunning(
      eventually(() => relay.stdout.includes('relay ready'), {
        ...PROCESS_POLL,
        timeoutMs: 20_000,
        what: 'a relay',
      }),
      'a relay',
    );
    return relay;
  }

  /** Writes `count` event rows in one transaction, over `aggregates` aggregates, seq in order. */
  async function writeRows(domain: string, count: number, aggregates: number): Promise<void> {
    await db.query(
      `INSERT INTO outbox (message_id, stream_name, type, kind, data, metadata)
       SELECT id, $1 || '::counter-a' || (n % $3), $1 || '.Bumped.v1', 'EVENT',
              json_build_object('aggregate', n % $3, 'seq', n),
              json_build_object('correlationId', id, 'causationId', id,
                                'time', to_json(now()), 'version', 1, 'headers', '{}'::json)
       FROM (SELECT n, gen_random_uuid()::text AS id FROM generate_series(1, $2) AS n) AS rows
       ORDER BY n`,
      [domain, count, aggregates],
    );
  }

  const unpublished = async () =>
    (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox WHERE status <> 'published'`,
      )
    )[0].n;

  it(
    'three processors over 5,000 rows publish every row once, each aggregate in order',
    async () => {
      const domain = streams.newDomain();
      const three = await Promise.all(
        [1, 2, 3].map(() => startRelay({ OUTBOX_RELAY_BATCH: '100' })),
      );

      await writeRows(domain, 5000, 50);
      await eventually(async () => (await unpublished()) === 0, {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: 'every row to be published',
      });

      const envelopes = await streams.envelopes(`${domain}::counter`);
      expect(envelopes).toHaveLength(5000);
      expect(new Set(envelopes.map((envelope) => envelope.id)).size).toBe(5000);
      for (let aggregate = 0; aggregate < 50; aggregate++) {
        const seqs = envelopes
          .filter((envelope) => envelope.payload.aggregate === aggregate)
          .map((envelope) => envelope.payload.seq as number);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        expect(seqs).toHaveLength(100);
      }

      const published: number[] = [];
      for (const relay of three) {
        expect(await relay.stop('SIGTERM')).toEqual({ code: 0, signal: null });
        published.push(Number(/relay published (\d+)/.exec(relay.stdout)?.[1]));
      }
      expect(published.reduce((sum, n) => sum + n, 0)).toBe(5000);
      expect(published.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    },
    TIMEOUT_MS,
  );

  it(
    'a processor killed between publishing and marking: another publishes its rows again once the lease expires',
    async () => {
      const domain = streams.newDomain();
      const doomed = await startRelay({
        OUTBOX_RELAY_CRASH_AFTER_PUBLISH: '1',
        OUTBOX_RELAY_LEASE_SECONDS: '2',
      });
      await writeRows(domain, 10, 2);
      expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });

      // Published, never marked: still leased to the dead processor.
      expect(await streams.length(`${domain}::counter`)).toBe(10);
      const leased = await db.query<{ status: string; locked_until_ms: number }>(
        `SELECT status, (extract(epoch FROM locked_until) * 1000)::float8 AS locked_until_ms
         FROM outbox`,
      );
      expect(leased).toHaveLength(10);
      expect(new Set(leased.map((row) => row.status))).toEqual(new Set(['processing']));

      await startRelay();
      await eventually(async () => (await unpublished()) === 0, {
        ...PROCESS_POLL,
        timeoutMs: 20_000,
        what: 'the rows to be taken over and published',
      });

      // At least once: every message is on the stream twice, the second time only after the
      // lease ran out (entry ids are Redis milliseconds; Redis and PostgreSQL share this host).
      const entries = await streams.client.xrange(`${domain}::counter`, '-', '+');
      expect(entries).toHaveLength(20);
      const ids = entries.map(([, fields]) => (JSON.parse(fields[1]) as { id: string }).id);
      expect(new Set(ids).size).toBe(10);
      expect(ids.slice(10)).toEqual(ids.slice(0, 10));
      const leaseEnd = Math.min(...leased.map((row) => row.locked_until_ms));
      for (const [entryId] of entries.slice(10)) {
        expect(Number(entryId.split('-')[0])).toBeGreaterThanOrEqual(Math.floor(leaseEnd));
      }
    },
    TIMEOUT_MS,
  );
});
