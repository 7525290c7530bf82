import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BookshelfSystem, inParallel, postJson } from '../support/bookshelf-system.js';
import { TEST_WORKER_MAIN, PROCESS_POLL } from '../support/processes.js';
import { eventually } from 'nestjs-protean/testing';

/**
 * Issue 5: the chapter's production setup as real processes — the API and workers, PostgreSQL,
 * Redis Streams, the outbox — configured by the chapter's domain.toml.
 */
const MINUTE = 60_000;

const book = (title: string, stock = 5) => ({ title, author: 'A. Author', price: 10, stock });

async function catalogSize(url: string): Promise<number> {
  const response = await fetch(`${url}/books?limit=1000`);
  return ((await response.json()) as unknown[]).length;
}

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

describe('async processing: API and worker processes on PostgreSQL and Redis', () => {
  let system: BookshelfSystem;
  let workdir: string;

  beforeEach(() => {
    workdir = mkdtempSync(join(tmpdir(), 'async-e2e-'));
  });

  afterEach(async () => {
    await system?.stop();
    rmSync(workdir, { recursive: true, force: true });
  });

  it(
    'takes 500 POST /books to the catalog within 10 s, every outbox row published',
    async () => {
      system = await BookshelfSystem.start();
      const { url } = await system.startApi();
      await system.startWorker();

      const started = Date.now();
      const answers = await inParallel(
        Array.from({ length: 500 }, (_, i) => book(`Book ${i}`)),
        20,
        (body) => postJson(`${url}/books`, body),
      );
      expect(answers.every((answer) => answer.status === 202)).toBe(true);

      await eventually(async () => (await catalogSize(url)) === 500, {
        ...PROCESS_POLL,
        timeoutMs: 10_000 - (Date.now() - started),
        what: '500 books in GET /books',
      });
      await eventually(
        async () => {
          const outbox = await system.outboxByStatus();
          return Object.keys(outbox).length === 1 && outbox.published === 1000;
        },
        { ...PROCESS_POLL, what: 'every outbox row (500 commands, 500 events) published' },
      );
    },
    2 * MINUTE,
  );

  it(
    'survives a SIGKILLed worker with 2,000 orders in flight: every order decided, no reservation twice',
    async () => {
      system = await BookshelfSystem.start({ PROTEAN_SERVER__MIN_IDLE_MS: '3000' });
      const { url } = await system.startApi();
      const first = await system.startWorker();

      const books = await inParallel(
        Array.from({ length: 20 }, (_, i) => book(`Stocked ${i}`, 50)),
        10,
        async (body) => (await postJson(`${url}/books`, body)).body.id as string,
      );
      await eventually(async () => (await catalogSize(url)) === 20, {
        ...PROCESS_POLL,
        what: 'the 20 books',
      });

      const orders = Array.from({ length: 2000 }, (_, i) => ({
        customer: `Customer ${i}`,
        items: [{ bookId: books[i % books.length], quantity: 1 + (i % 2) }],
      }));
      const placing = inParallel(orders, 20, async (order) => {
        const answer = await postJson(`${url}/orders`, order);
        expect(answer.status).toBe(202);
      });
      await eventually(
        async () => {
          const totals = await system.orderTotals();
          return totals.confirmed + totals.rejected >= 200;
        },
        { ...PROCESS_POLL, timeoutMs: MINUTE, what: '200 orders decided' },
      );
      expect(await first.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      await system.startWorker();
      await placing;

      await eventually(
        async () => {
          const totals = await system.orderTotals();
          return totals.confirmed + totals.rejected === 2000;
        },
        { timeoutMs: 2 * MINUTE, intervalMs: 500, what: 'all 2,000 orders CONFIRMED or REJECTED' },
      );

      const reserved = await system.db.query<{ id: string; reserved: string; stock: string }>(`
        SELECT b.id, b.state->>'stock' AS stock,
               coalesce((SELECT sum((item->>'quantity')::int) FROM aggregates o,
                         jsonb_array_elements(o.state->'items') item
                         WHERE o.category = 'order' AND o.state->>'status' = 'CONFIRMED'
                           AND item->>'bookId' = b.id), 0) AS reserved
        FROM aggregates b WHERE b.category = 'book'`);
      expect(reserved).toHaveLength(20);
      for (const row of reserved) expect(Number(row.stock)).toBe(50 - Number(row.reserved));
      // The catalog is a read model fed by its own consumer group: the killed worker's pending
      // StockReserved entries reach it after the take-over, possibly after the orders' last
      // decision. It must converge to the aggregates' stock.
      const catalogStock = async () => {
        const catalog = (await (await fetch(`${url}/books?limit=100`)).json()) as Array<{
          id: string;
          stock: number;
        }>;
        return reserved.map((row) => catalog.find((entry) => entry.id === row.id)?.stock);
      };
      const aggregateStock = reserved.map((row) => Number(row.stock));
      await eventually(
        async () => JSON.stringify(await catalogStock()) === JSON.stringify(aggregateStock),
        { timeoutMs: MINUTE, intervalMs: 500, what: "the catalog's stock to match the books'" },
      ).catch(() => undefined);
      expect(await catalogStock()).toEqual(aggregateStock);
    },
    5 * MINUTE,
  );

  it(
    'retries a failing handler with growing gaps, dead-letters it with provenance, and replays it once fixed',
    async () => {
      const fault = {
        FAULT_FILE: join(workdir, 'fault'),
        FAULT_LOG: join(workdir, 'log'),
        FAULT_TITLE: 'Poison',
      };
      writeFileSync(fault.FAULT_FILE, 'on');
      system = await BookshelfSystem.start(fault);
      const { url } = await system.startApi();
      await system.startWorker({}, TEST_WORKER_MAIN);

      for (const title of ['Good A', 'Poison', 'Good B'])
        await postJson(`${url}/books`, book(title));
      const poisoned = await eventually(
        async () => {
          const listed = await system.cli('dlq', 'list', '--json');
          const letters = JSON.parse(listed.stdout) as any[];
          return letters.length > 0 ? letters : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500, what: 'the poisoned event in the DLQ' },
      );

      const attempts = lines(fault.FAULT_LOG)
        .filter((line) => line.startsWith('attempt'))
        .map((line) => Number(line.split(' ')[1]));
      expect(attempts).toHaveLength(4); // 1 + max_retries (3) of the production profile
      const gaps = attempts.slice(1).map((time, i) => time - attempts[i]);
      expect(gaps[0]).toBeGreaterThanOrEqual(700);
      expect(gaps[1]).toBeGreaterThan(gaps[0]);
      expect(gaps[2]).toBeGreaterThan(gaps[1]);

      expect(poisoned).toHaveLength(1);
      expect(poisoned[0]).toMatchObject({
        stream: 'bookshelf::book',
        provenance: {
          group: 'FlakyBookHandler',
          attempts: 4,
          error: expect.stringContaining('poisoned book'),
        },
      });
      expect(poisoned[0].provenance.consumer).toEqual(expect.any(String));
      expect(poisoned[0].provenance.originalId).toMatch(/^\d+-\d+$/);
      expect(lines(fault.FAULT_LOG).filter((line) => line.startsWith('processed'))).toHaveLength(2);
      expect(await catalogSize(url)).toBe(3);

      rmSync(fault.FAULT_FILE);
      const replay = await system.cli(
        'dlq',
        'replay',
        poisoned[0].id,
        '--stream',
        'bookshelf::book',
      );
      expect(replay).toMatchObject({ code: 0 });
      await eventually(
        () => lines(fault.FAULT_LOG).filter((line) => line.startsWith('processed')).length === 3,
        { ...PROCESS_POLL, what: 'the replayed event processed' },
      );
      expect(JSON.parse((await system.cli('dlq', 'list', '--json')).stdout)).toEqual([]);
    },
    2 * MINUTE,
  );

  it(
    'dead-letters garbage and invalid external orders, stays up, and processes the next valid one',
    async () => {
      system = await BookshelfSystem.start();
      const { url } = await system.startApi();
      await system.startWorker();
      const bookId = (await postJson(`${url}/books`, book('External stock'))).body.id as string;
      await eventually(async () => (await catalogSize(url)) === 1, {
        ...PROCESS_POLL,
        what: 'the book',
      });

      const redis = system.redisClient();
      await redis.xadd('external-orders', '*', 'data', 'this is not json');
      await redis.xadd('external-orders', '*', 'data', JSON.stringify({ customer: 42, items: [] }));
      await redis.xadd('external-orders', '*', 'note', 'no data field at all');
      await redis.xadd(
        'external-orders',
        '*',
        'data',
        JSON.stringify({ __proto__: { admin: true }, customer: 'x' }),
      );

      await eventually(async () => (await redis.xlen('external-orders:dlq')) === 4, {
        ...PROCESS_POLL,
        timeoutMs: 20_000,
        what: 'four dead letters on external-orders:dlq',
      });
      const customer = `External ${randomUUID()}`;
      await redis.xadd(
        'external-orders',
        '*',
        'data',
        JSON.stringify({ customer, items: [{ bookId, quantity: 1 }] }),
      );
      await eventually(
        async () => {
          const rows = await system.db.query<{ status: string }>(
            `SELECT document->>'status' AS status FROM projections WHERE name = 'order_summaries' AND document->>'customer' = $1`,
            [customer],
          );
          return rows[0]?.status === 'CONFIRMED';
        },
        { ...PROCESS_POLL, timeoutMs: 20_000, what: 'the valid external order confirmed' },
      );
      const letters = JSON.parse(
        (await system.cli('dlq', 'list', '--stream', 'external-orders', '--json')).stdout,
      );
      expect(
        letters.map((letter: { provenance: { group: string } }) => letter.provenance.group),
      ).toEqual(Array(4).fill('ExternalOrdersSubscriber'));
      expect(
        letters.map((letter: { provenance: { attempts: number } }) => letter.provenance.attempts),
      ).toEqual([1, 1, 1, 1]);
    },
    2 * MINUTE,
  );

  it(
    'exits 0 within the grace on SIGTERM during a burst, and a restarted worker processes everything',
    async () => {
      system = await BookshelfSystem.start();
      const { url } = await system.startApi();
      const worker = await system.startWorker();

      let posted = 0;
      const posting = inParallel(
        Array.from({ length: 300 }, (_, i) => book(`Burst ${i}`)),
        20,
        async (body) => {
          await postJson(`${url}/books`, body);
          posted++;
        },
      );
      await eventually(() => posted >= 100, { ...PROCESS_POLL, what: '100 books posted' });
      const signalled = Date.now();
      const exit = await worker.stop('SIGTERM', 20_000);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalled).toBeLessThan(15_000); // shutdown_grace_seconds 10 + exit
      await posting;

      await system.startWorker();
      await eventually(async () => (await catalogSize(url)) === 300, {
        ...PROCESS_POLL,
        timeoutMs: 30_000,
        what: 'all 300 books after the restart',
      });
      await eventually(async () => (await system.outboxByStatus()).published === 600, {
        ...PROCESS_POLL,
        what: 'every outbox row published',
      });
    },
    2 * MINUTE,
  );

  it(
    'shares one group between two workers: each message handled once per handler',
    async () => {
      const record = { RECORD_FILE: join(workdir, 'record') };
      system = await BookshelfSystem.start(record);
      const { url } = await system.startApi();
      await Promise.all([
        system.startWorker({}, TEST_WORKER_MAIN),
        system.startWorker({}, TEST_WORKER_MAIN),
      ]);

      const ids = await inParallel(
        Array.from({ length: 200 }, (_, i) => book(`Shared ${i}`)),
        20,
        async (body) => (await postJson(`${url}/books`, body)).body.id as string,
      );
      await eventually(() => lines(record.RECORD_FILE).length >= 200, {
        ...PROCESS_POLL,
        timeoutMs: 30_000,
        what: '200 records',
      });
      await eventually(async () => (await catalogSize(url)) === 200, {
        ...PROCESS_POLL,
        what: 'the catalog',
      });

      const records = lines(record.RECORD_FILE).map((line) => line.split(' '));
      expect(records.map(([, bookId]) => bookId).sort()).toEqual([...ids].sort());
      const byWorker = new Set(records.map(([pid]) => pid));
      expect(byWorker.size).toBe(2);
      const processed = await system.db.query<{ handler: string; count: string }>(
        `SELECT handler, count(*) FROM processed_messages GROUP BY handler ORDER BY handler`,
      );
      expect(
        Object.fromEntries(processed.map((row) => [row.handler, Number(row.count)])),
      ).toMatchObject({
        AddBookHandler: 200,
        CatalogProjector: 200,
        RecordingHandler: 200,
      });
    },
    2 * MINUTE,
  );
});
