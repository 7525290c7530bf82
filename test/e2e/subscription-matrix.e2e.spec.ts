import type { INestApplication } from '@nestjs/common';
import { BROKER_REGISTRY, loadConfiguration, type BrokerRegistry } from 'nestjs-protean';
import { createApiApp } from '../../apps/bookshelf-api/src/create-api-app.js';
import { BookshelfSystem, postJson } from '../support/bookshelf-system.js';
import { freePort, NodeProcess, WORKER_MAIN, PROCESS_POLL } from '../support/processes.js';
import { SpawnedRedis } from '../support/spawned-redis.js';
import { eventually } from 'nestjs-protean/testing';

/*
 * Issue 14 §1: subscription type × profile × handler kind × deployment. Every cell either
 * delivers every message or is refused at start; none stalls. One process set per (type,
 * profile, mode) exercises the four handler kinds at once on the bookshelf:
 *
 *   command handler   POST /books, POST /orders → AddBookHandler, PlaceOrderHandler
 *   event handler     OrderPlaced → ReserveStockHandler → StockReserved, OrderConfirmed
 *   projector         CatalogProjector (stock), OrderSummaryProjector (CONFIRMED)
 *   subscriber        an order on `external-orders` → ExternalOrdersSubscriber → PlaceOrder
 *
 * Embedded: API and engine in one process on memory stores and the inline broker (what
 * `npm start` runs). API + worker: two processes on a PostgreSQL database and a Redis of the
 * cell's own, the event store in PostgreSQL for `event_store`. Deliveries are deadline-bounded
 * polls: a stalled cell fails with what it was waiting for.
 */

const TYPES = ['stream', 'event_store'] as const;
const PROFILES = ['production', 'fast', 'batch', 'debug', 'projection'] as const;
type SubscriptionType = (typeof TYPES)[number];
type Profile = (typeof PROFILES)[number];

/** Longest a cell may take to deliver everything (the debug profile ticks once a second). */
const DELIVERY_DEADLINE_MS = 30_000;
const STOCK = 100;
/** Three orders through the API, one from outside: 1 + 2 + 3 + 4 books. */
const API_QUANTITIES = [1, 2, 3];
const EXTERNAL_QUANTITY = 4;
/** What each handler processes for one book and four orders of one line each. */
const PROCESSED_PER_HANDLER = {
  AddBookHandler: 1, // AddBook
  PlaceOrderHandler: 4, // PlaceOrder ×4 (one from the subscriber)
  ReserveStockHandler: 4, // OrderPlaced ×4
  CatalogProjector: 5, // BookAdded + StockReserved ×4
  OrderSummaryProjector: 8, // OrderPlaced ×4 + OrderConfirmed ×4
  ExternalOrdersSubscriber: 1, // the external order
};

interface Delivered {
  readonly ms: number;
  readonly processed?: Record<string, number>;
}

/** Places the cell's book and orders; resolves once every order is confirmed and the stock is right. */
async function exercise(
  url: string,
  publishExternal: (payload: object) => Promise<unknown>,
  cell: string,
): Promise<number> {
  const started = performance.now();
  const book = await postJson(`${url}/books`, {
    title: `Matrix ${cell}`,
    author: 'Issue 14',
    price: 5,
    stock: STOCK,
  });
  expect(book.status).toBe(202);
  const bookId = book.body.id as string;
  await eventually(async () => (await fetch(`${url}/books/${bookId}`)).ok, {
    ...PROCESS_POLL,
    timeoutMs: DELIVERY_DEADLINE_MS,
    what: `${cell}: the book in the catalog (command handler, projector)`,
  });
  const orderIds: string[] = [];
  for (const quantity of API_QUANTITIES) {
    const placed = await postJson(`${url}/orders`, {
      customer: 'Ada',
      items: [{ bookId, quantity }],
    });
    expect(placed.status).toBe(202);
    orderIds.push(placed.body.id as string);
  }
  await publishExternal({ customer: 'Outside', items: [{ bookId, quantity: EXTERNAL_QUANTITY }] });

  const expectedStock =
    STOCK - API_QUANTITIES.reduce((sum, quantity) => sum + quantity, 0) - EXTERNAL_QUANTITY;
  const statuses = async () =>
    Promise.all(
      orderIds.map(async (id) => {
        const response = await fetch(`${url}/orders/${id}`);
        return response.ok ? ((await response.json()) as { status: string }).status : 'missing';
      }),
    );
  const stock = async () =>
    ((await (await fetch(`${url}/books/${bookId}`)).json()) as { stock: number }).stock;
  await eventually(
    async () =>
      (await statuses()).every((status) => status === 'CONFIRMED') &&
      (await stock()) === expectedStock,
    {
      timeoutMs: DELIVERY_DEADLINE_MS,
      intervalMs: 100,
      what:
        `${cell}: 3 orders CONFIRMED and stock ${expectedStock} with the external order ` +
        '(command handler, event handler, projectors, subscriber)',
    },
  ).catch(async (error: Error) => {
    throw new Error(
      `${error.message}; last seen: ${(await statuses()).join(', ')}, stock ${await stock()}`,
    );
  });
  return performance.now() - started;
}

/** `npm start`'s shape: API and engine in this process, on memory stores and the inline broker. */
async function embeddedCell(type: SubscriptionType, profile: Profile): Promise<Delivered> {
  const config = loadConfiguration({
    embedded: true,
    overrides: {
      command_processing: 'async',
      event_processing: 'async',
      enable_outbox: true,
      server: {
        default_subscription_type: type,
        default_subscription_profile: profile,
        shutdown_grace_seconds: 1,
      },
    },
  });
  const app: INestApplication = await createApiApp(config, { engine: true, logger: false });
  try {
    await app.init();
    await app.startAllMicroservices();
    const port = await freePort();
    await app.listen(port, '127.0.0.1');
    const broker = app.get<BrokerRegistry>(BROKER_REGISTRY, { strict: false }).get('default');
    const ms = await exercise(
      `http://127.0.0.1:${port}`,
      (payload) => broker.publish({ stream: 'external-orders', data: JSON.stringify(payload) }),
      `embedded ${type}/${profile}`,
    );
    return { ms };
  } finally {
    await app.close();
  }
}

/** Production's shape: the API and a worker, on PostgreSQL and Redis. */
async function apiAndWorkerCell(type: SubscriptionType, profile: Profile): Promise<Delivered> {
  const system = await BookshelfSystem.start({
    PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_TYPE: type,
    PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_PROFILE: profile,
    // Shared with the API: the default database holds the event store too.
    ...(type === 'event_store' ? { PROTEAN_EVENT_STORE__PROVIDER: 'postgresql' } : {}),
    LOG_LEVEL: 'warn',
  });
  try {
    const [{ url }] = await Promise.all([system.startApi(), system.startWorker()]);
    const redis = system.redisClient();
    const ms = await exercise(
      url,
      (payload) => redis.xadd('external-orders', '*', 'data', JSON.stringify(payload)),
      `API + worker ${type}/${profile}`,
    );
    const counts = async () => {
      const rows = await system.db.query<{ handler: string; count: string }>(
        'SELECT handler, count(*) FROM processed_messages GROUP BY handler',
      );
      return Object.fromEntries(rows.map((row) => [row.handler, Number(row.count)]));
    };
    // The orders above are the API's three; the external order's confirmation may still be on
    // its way to the summary projector: wait until every handler has had all its messages (a
    // stalled one fails the comparison below), then compare, so a duplicate shows as too many.
    await eventually(
      async () => {
        const seen = await counts();
        return Object.entries(PROCESSED_PER_HANDLER).every(
          ([handler, expected]) => (seen[handler] ?? 0) >= expected,
        );
      },
      { timeoutMs: DELIVERY_DEADLINE_MS, intervalMs: 100, what: 'every handler processed' },
    ).catch(() => undefined);
    return { ms, processed: await counts() };
  } finally {
    await system.stop();
  }
}

/** API + worker cells at once: each is a database, a Redis and two Node processes. */
const API_AND_WORKER_CONCURRENCY = 3;

/** Runs at most `limit` of the started tasks at once. */
function limiter(limit: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((done) => waiting.push(done));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

const cells = TYPES.flatMap((type) => PROFILES.map((profile) => ({ type, profile })));

describe('subscription matrix: type × profile × handler kind × deployment', () => {
  const figures: string[] = [];
  afterAll(() =>
    process.stdout.write(`subscription matrix (ms to deliver):\n${figures.join('\n')}\n`),
  );

  describe('embedded (API + engine in one process; memory stores, inline broker)', () => {
    it.each(cells)('$type / $profile: every handler kind delivers', async ({ type, profile }) => {
      const { ms } = await embeddedCell(type, profile);
      figures.push(`  embedded       ${type.padEnd(11)} ${profile.padEnd(10)} ${Math.round(ms)}`);
    });
  });

  describe('API + worker (PostgreSQL, Redis)', () => {
    /** The cells run a few at a time, from the start; each test awaits its own. */
    const results = new Map<string, Promise<Delivered>>();
    beforeAll(() => {
      const gate = limiter(API_AND_WORKER_CONCURRENCY);
      for (const { type, profile } of cells) {
        const result = gate(() => apiAndWorkerCell(type, profile));
        result.catch(() => undefined); // reported by its own test
        results.set(`${type}/${profile}`, result);
      }
    });

    it.each(cells)(
      '$type / $profile: every handler kind delivers, each message processed once',
      async ({ type, profile }) => {
        const { ms, processed } = await results.get(`${type}/${profile}`)!;
        figures.push(`  API + worker   ${type.padEnd(11)} ${profile.padEnd(10)} ${Math.round(ms)}`);
        expect(processed).toEqual(PROCESSED_PER_HANDLER);
      },
      120_000,
    );
  });

  describe('refused at start: a worker apart from the API that could never deliver', () => {
    let redis: SpawnedRedis;
    beforeAll(async () => (redis = await SpawnedRedis.start()));
    afterAll(() => redis.destroy());

    /** Starts the bookshelf worker with `env` over the defaults; resolves to its exit and stderr. */
    async function refusedWorker(env: NodeJS.ProcessEnv) {
      const worker = new NodeProcess(WORKER_MAIN, [], {
        PROTEAN_CONFIG: '/dev/null',
        PROTEAN_SERVER__HEALTH__PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
        ...env,
      });
      const exited = await worker.exitedWithin(30_000);
      if (!exited) await worker.stop('SIGKILL');
      return { code: exited?.code, lines: worker.stderr.trim().split('\n') };
    }

    it.each(PROFILES)(
      'event_store on a memory event store / %s: exit 78, one line naming the keys',
      async (profile) => {
        const { code, lines } = await refusedWorker({
          PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_TYPE: 'event_store',
          PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_PROFILE: profile,
          PROTEAN_BROKERS__DEFAULT__PROVIDER: 'redis',
          PROTEAN_BROKERS__DEFAULT__URI: redis.uri,
        });
        expect(code).toBe(78);
        expect(lines).toEqual([
          expect.stringMatching(
            /^Invalid configuration: server\.default_subscription_type = "event_store" with event_store\.provider = "memory" in a worker that runs apart from the API: .*event_store\.provider = "postgresql".*`npm start`\)$/,
          ),
        ]);
      },
    );

    it.each(PROFILES)(
      'stream on the inline broker / %s: exit 78, one line naming the keys',
      async (profile) => {
        const { code, lines } = await refusedWorker({
          PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_TYPE: 'stream',
          PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_PROFILE: profile,
        });
        expect(code).toBe(78);
        expect(lines).toEqual([
          expect.stringMatching(
            /^Invalid configuration: server\.default_subscription_type = "stream" with brokers\.default\.provider = "inline" in a worker that runs apart from the API: .*brokers\.default\.provider = "redis".*`npm start`\)$/,
          ),
        ]);
      },
    );
  });
});
