import { inParallel, postJson, type BookshelfSystem } from '../../support/bookshelf-system.js';
import { type NodeProcess, PROCESS_POLL } from '../../support/processes.js';
import { eventually } from 'nestjs-protean/testing';

/** Stock of every book: more than any scenario orders, so every order is confirmed. */
export const BOOK_STOCK = 1_000_000;
/** A request that takes longer than this counts as a hang. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Every command sent, with what the API answered: the ground truth a scenario is judged by. */
export class Ledger {
  /** Orders the API accepted (202): id → the book it asked for (quantity 1). */
  readonly accepted = new Map<string, string>();
  /** Requests answered with anything but 202, by status (`timeout`, `error` when none came). */
  readonly refused = new Map<string, number>();
  /** Accepted orders per second of the run, for throughput over time. */
  readonly acceptedAt: number[] = [];
  sent = 0;

  refuse(reason: string): void {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
  }

  get refusedCount(): number {
    return [...this.refused.values()].reduce((sum, count) => sum + count, 0);
  }
}

/** Adds `count` books with {@link BOOK_STOCK} copies and waits until the worker made them. */
export async function addBooks(system: BookshelfSystem, url: string, count = 20) {
  const indexes = Array.from({ length: count }, (_, index) => index);
  const ids = await inParallel(indexes, 10, async (index) => {
    const answer = await postJson(`${url}/books`, {
      title: `Fault stock ${index}`,
      author: 'A. Author',
      price: 10,
      stock: BOOK_STOCK,
    });
    if (answer.status !== 202) throw new Error(`POST /books answered ${answer.status}`);
    return answer.body.id as string;
  });
  await eventually(
    async () => {
      const [{ count: made }] = await system.db.query<{ count: string }>(
        `SELECT count(*) FROM aggregates WHERE category = 'book'`,
      );
      return Number(made) === count;
    },
    { ...PROCESS_POLL, timeoutMs: 30_000, what: `${count} books` },
  );
  return ids;
}

export interface LoadOptions {
  /** Orders per second. */
  readonly rate: number;
  readonly count: number;
  /** Requests in flight at most (the client's connection pool). */
  readonly concurrency?: number;
  /** A request unanswered this long counts as refused (`timeout`); 10 s unless told. */
  readonly timeoutMs?: number;
  /** Called once a second with the orders sent so far. */
  readonly onTick?: (sent: number) => void | Promise<void>;
}

/**
 * Sends `count` orders at a steady `rate` (one every 1/rate s, never more than `concurrency`
 * in flight), each for one copy of a book, recording every answer in `ledger`.
 */
export async function placeOrders(
  url: string,
  books: readonly string[],
  ledger: Ledger,
  { rate, count, concurrency = 32, timeoutMs = REQUEST_TIMEOUT_MS }: LoadOptions,
): Promise<void> {
  const started = Date.now();
  let inFlight = 0;
  const running = new Set<Promise<void>>();
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    while (inFlight >= concurrency) await Promise.race(running);
    inFlight++;
    const request = placeOne(url, books[i % books.length], i, ledger, timeoutMs).finally(() => {
      inFlight--;
      running.delete(request);
    });
    running.add(request);
  }
  await Promise.all(running);
}

async function placeOne(
  url: string,
  bookId: string,
  index: number,
  ledger: Ledger,
  timeoutMs: number,
) {
  ledger.sent++;
  try {
    const response = await fetch(`${url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customer: `Customer ${index}`, items: [{ bookId, quantity: 1 }] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as { id?: string };
    if (response.status === 202 && body.id) {
      ledger.accepted.set(body.id, bookId);
      ledger.acceptedAt.push(Date.now());
    } else ledger.refuse(String(response.status));
  } catch (error) {
    // Errors of fetch come from Node's realm, where `instanceof Error` fails under Jest.
    ledger.refuse((error as Error).name === 'TimeoutError' ? 'timeout' : failureOf(error));
  }
}

/** A request that got no answer: `error` and the cause's code (`ECONNRESET`, …) when known. */
function failureOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const detail = cause?.code ?? cause?.message ?? (error as Error | undefined)?.message;
  return detail ? `error ${detail}` : 'error';
}

/** What became of the orders of a ledger, read from the database once processing settled. */
export interface Outcome {
  readonly sent: number;
  readonly accepted: number;
  /** Accepted orders CONFIRMED in the aggregate and in the order summaries. */
  readonly completed: number;
  /** Accepted orders not completed. */
  readonly lost: number;
  /** Effects applied more than once: extra decision events, extra reservations, stock off. */
  readonly duplicated: number;
  /**
   * Orders made from a command the API did not acknowledge: it committed, but its answer never
   * arrived (the database went away between commit and reply). Not lost, not duplicated.
   */
  readonly unacknowledged: number;
  /** Consistency problems beyond the counts (must be empty). */
  readonly problems: string[];
}

/** The figures of a scenario's report row that come from its outcome. */
export function counts({ sent, completed, lost, duplicated }: Outcome) {
  return { sent, completed, lost, duplicated };
}

/**
 * Waits (up to `timeoutMs`) until every accepted order is confirmed in its summary, then
 * checks the whole state: aggregates, their outbox rows, the projections and the stock.
 */
export async function settle(
  system: BookshelfSystem,
  ledger: Ledger,
  books: readonly string[],
  timeoutMs = 60_000,
): Promise<Outcome> {
  const ids = [...ledger.accepted.keys()];
  await eventually(
    async () =>
      (await confirmedSummaries(system, ids)) === ids.length && (await catalogBehind(system)) === 0,
    { timeoutMs, intervalMs: 500, what: `${ids.length} accepted orders confirmed` },
  ).catch(() => undefined);
  return outcomeOf(system, ledger, books);
}

/** Books whose catalog entry does not show their stock (yet). */
async function catalogBehind(system: BookshelfSystem): Promise<number> {
  const [{ count }] = await system.db.query<{ count: string }>(
    `SELECT count(*) FROM aggregates b LEFT JOIN projections c ON c.name = 'catalog' AND c.id = b.id
     WHERE b.category = 'book' AND (c.document->>'stock')::bigint IS DISTINCT FROM (b.state->>'stock')::bigint`,
  );
  return Number(count);
}

async function confirmedSummaries(system: BookshelfSystem, ids: string[]): Promise<number> {
  const [{ count }] = await system.db.query<{ count: string }>(
    `SELECT count(*) FROM projections
     WHERE name = 'order_summaries' AND document->>'status' = 'CONFIRMED' AND id = ANY($1)`,
    [ids],
  );
  return Number(count);
}

export async function outcomeOf(
  system: BookshelfSystem,
  ledger: Ledger,
  books: readonly string[],
): Promise<Outcome> {
  const ids = [...ledger.accepted.keys()];
  const problems: string[] = [];
  const completedRows = await system.db.query<{ id: string }>(
    `SELECT a.id FROM aggregates a JOIN projections p ON p.name = 'order_summaries' AND p.id = a.id
     WHERE a.category = 'order' AND a.state->>'status' = 'CONFIRMED'
       AND p.document->>'status' = 'CONFIRMED' AND a.id = ANY($1)`,
    [ids],
  );
  const completed = completedRows.length;

  // Each order raises OrderPlaced, OrderConfirmed and one StockReserved exactly once.
  const events = await system.db.query<{ type: string; order_id: string; count: string }>(
    `SELECT regexp_replace(type, '^.*\\.([A-Za-z]+)(\\.v\\d+)?$', '\\1') AS type,
            data->>'orderId' AS order_id, count(*)
     FROM outbox WHERE kind = 'EVENT' AND data->>'orderId' IS NOT NULL GROUP BY 1, 2`,
  );
  let duplicated = 0;
  const eventCount = new Map<string, number>();
  for (const row of events) {
    duplicated += Number(row.count) - 1;
    eventCount.set(`${row.type} ${row.order_id}`, Number(row.count));
  }
  // No aggregate without its outbox row, and none the other way round.
  const orders = await system.db.query<{ id: string; status: string; book: string }>(
    `SELECT id, state->>'status' AS status, state->'items'->0->>'bookId' AS book
     FROM aggregates WHERE category = 'order'`,
  );
  const orderIds = new Set(orders.map((order) => order.id));
  for (const order of orders) {
    if (!eventCount.has(`OrderPlaced ${order.id}`))
      problems.push(`order ${order.id} has no OrderPlaced outbox row`);
    if (order.status === 'CONFIRMED' && !eventCount.has(`OrderConfirmed ${order.id}`))
      problems.push(`order ${order.id} is CONFIRMED without an OrderConfirmed outbox row`);
  }
  for (const key of eventCount.keys()) {
    const [type, id] = key.split(' ');
    if (type === 'OrderPlaced' && !orderIds.has(id))
      problems.push(`OrderPlaced outbox row of order ${id} without its aggregate`);
  }
  const unacknowledged = [...orderIds].filter((id) => !ledger.accepted.has(id)).length;
  // Every PlaceOrder written to the outbox was handled: its order exists.
  const commands = await system.db.query<{ order_id: string }>(
    `SELECT data->>'orderId' AS order_id FROM outbox
     WHERE kind = 'COMMAND' AND data->>'orderId' IS NOT NULL`,
  );
  for (const { order_id } of commands)
    if (!orderIds.has(order_id))
      problems.push(`PlaceOrder ${order_id} in the outbox made no order`);

  // Stock: what is left is exactly what the confirmed orders did not take, in the aggregate
  // and in the catalog.
  const stock = await system.db.query<{ id: string; stock: string; catalog: string | null }>(
    `SELECT b.id, b.state->>'stock' AS stock, c.document->>'stock' AS catalog
     FROM aggregates b LEFT JOIN projections c ON c.name = 'catalog' AND c.id = b.id
     WHERE b.category = 'book' AND b.id = ANY($1)`,
    [books],
  );
  const taken = new Map<string, number>();
  for (const order of orders) {
    if (order.status !== 'CONFIRMED') continue;
    if (ledger.accepted.has(order.id) && ledger.accepted.get(order.id) !== order.book)
      problems.push(`order ${order.id} is for another book than was ordered`);
    taken.set(order.book, (taken.get(order.book) ?? 0) + 1);
  }
  for (const row of stock) {
    const expected = BOOK_STOCK - (taken.get(row.id) ?? 0);
    duplicated += Math.abs(expected - Number(row.stock));
    if (Number(row.catalog) !== Number(row.stock))
      problems.push(`catalog shows ${row.catalog} of book ${row.id}, the book has ${row.stock}`);
  }
  // The order summaries agree with the orders (no status regressed by a late event).
  const disagreeing = await system.db.query<{ id: string }>(
    `SELECT a.id FROM aggregates a JOIN projections p ON p.name = 'order_summaries' AND p.id = a.id
     WHERE a.category = 'order' AND p.document->>'status' <> a.state->>'status'`,
  );
  for (const { id } of disagreeing) problems.push(`summary of order ${id} disagrees with it`);

  return {
    sent: ledger.sent,
    accepted: ids.length,
    completed,
    lost: ids.length - completed,
    duplicated,
    unacknowledged,
    problems: problems.slice(0, 20),
  };
}

/** Seconds from `since` until the worker confirmed `count` more orders than it had then. */
export async function secondsToProgress(
  system: BookshelfSystem,
  since: number,
  count: number,
  timeoutMs: number,
): Promise<number> {
  const before = await confirmedOrders(system);
  await eventually(async () => (await confirmedOrders(system)) >= before + count, {
    timeoutMs,
    intervalMs: 100,
    what: `${count} more orders confirmed`,
  });
  return (Date.now() - since) / 1000;
}

/** Outbox rows not published yet, of every kind or of one (`COMMAND`, `EVENT`). */
export async function unpublished(system: BookshelfSystem, kind = '%'): Promise<number> {
  const [{ count }] = await system.db.query<{ count: string }>(
    `SELECT count(*) FROM outbox WHERE status <> 'published' AND kind LIKE $1`,
    [kind],
  );
  return Number(count);
}

/** Rows whose publishing was counted as a failed attempt, or given up. */
export async function attemptsCounted(system: BookshelfSystem): Promise<number> {
  const [{ count }] = await system.db.query<{ count: string }>(
    `SELECT count(*) FROM outbox WHERE retry_count > 0 OR status IN ('failed', 'abandoned')`,
  );
  return Number(count);
}

export async function confirmedOrders(system: BookshelfSystem): Promise<number> {
  const [{ count }] = await system.db.query<{ count: string }>(
    `SELECT count(*) FROM projections WHERE name = 'order_summaries' AND document->>'status' = 'CONFIRMED'`,
  );
  return Number(count);
}

/**
 * The start every order scenario shares, on a started `system`: the API, then one worker per
 * entry of `workerEnvs` (one with no extra env unless said), then the books in stock; and an
 * empty ledger.
 */
export async function startOrderScenario(
  system: BookshelfSystem,
  workerEnvs: NodeJS.ProcessEnv[] = [{}],
) {
  const { url, process: api } = await system.startApi();
  const workers: NodeProcess[] = [];
  for (const env of workerEnvs) workers.push(await system.startWorker(env));
  const books = await addBooks(system, url);
  return { url, api, worker: workers[0], workers, books, ledger: new Ledger() };
}

/** Every order sent was accepted and completed once, nothing lost, duplicated or left pending. */
export function expectClean(outcome: Outcome): void {
  expect(outcome.problems).toEqual([]);
  expect(outcome.accepted).toBe(outcome.sent);
  expect(outcome.unacknowledged).toBe(0);
  expect(outcome).toMatchObject({ lost: 0, duplicated: 0, completed: outcome.accepted });
}
