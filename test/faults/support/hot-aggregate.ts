import type { Redis } from 'ioredis';
import type { BookshelfSystem } from '../../support/bookshelf-system.js';

/** What became of orders that all asked for one copy of one book. */
export interface Decisions {
  readonly confirmed: number;
  readonly rejected: number;
  readonly placed: number;
  /** The book's stock in its aggregate and in the catalog. */
  readonly stock: number;
  readonly catalogStock: number;
  /** StockReserved events in the outbox for these orders. */
  readonly reservations: number;
  /** Decision or reservation events written more than once for one order. */
  readonly duplicated: number;
  /** Order summaries whose status is not the order's. */
  readonly summariesDisagreeing: number;
}

/**
 * Polls until every order in `ids` is decided (CONFIRMED or REJECTED in its summary); gives up
 * when the number decided has not moved for `stallMs`. Resolves to whether all were decided.
 */
export async function waitForDecisions(
  system: BookshelfSystem,
  ids: readonly string[],
  { stallMs }: { stallMs: number },
): Promise<boolean> {
  let last = -1;
  let movedAt = Date.now();
  for (;;) {
    const [{ count }] = await system.db.query<{ count: string }>(
      `SELECT count(*) FROM projections WHERE name = 'order_summaries'
       AND document->>'status' IN ('CONFIRMED', 'REJECTED') AND id = ANY($1)`,
      [ids],
    );
    const decided = Number(count);
    if (decided === ids.length) return true;
    if (decided !== last) [last, movedAt] = [decided, Date.now()];
    else if (Date.now() - movedAt > stallMs) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Counts the orders' statuses, the book's stock and the events each order raised. */
export async function decisionsOf(
  system: BookshelfSystem,
  ids: readonly string[],
  bookId: string,
): Promise<Decisions> {
  const statuses = await system.db.query<{ status: string; count: string }>(
    `SELECT state->>'status' AS status, count(*) FROM aggregates
     WHERE category = 'order' AND id = ANY($1) GROUP BY 1`,
    [ids],
  );
  const status = (name: string) => Number(statuses.find((row) => row.status === name)?.count ?? 0);
  const [book] = await system.db.query<{ stock: string; catalog: string | null }>(
    `SELECT b.state->>'stock' AS stock, c.document->>'stock' AS catalog
     FROM aggregates b LEFT JOIN projections c ON c.name = 'catalog' AND c.id = b.id
     WHERE b.category = 'book' AND b.id = $1`,
    [bookId],
  );
  const events = await system.db.query<{ type: string; count: string; orders: string }>(
    `SELECT regexp_replace(type, '^.*\\.([A-Za-z]+)(\\.v\\d+)?$', '\\1') AS type,
            count(*), count(DISTINCT data->>'orderId') AS orders
     FROM outbox WHERE kind = 'EVENT' AND data->>'orderId' = ANY($1) GROUP BY 1`,
    [ids],
  );
  const eventsOf = (type: string) => events.find((row) => row.type === type);
  const duplicated = events.reduce((sum, row) => sum + Number(row.count) - Number(row.orders), 0);
  const [{ count: disagreeing }] = await system.db.query<{ count: string }>(
    `SELECT count(*) FROM aggregates a JOIN projections p ON p.name = 'order_summaries' AND p.id = a.id
     WHERE a.category = 'order' AND a.id = ANY($1) AND p.document->>'status' <> a.state->>'status'`,
    [ids],
  );
  return {
    confirmed: status('CONFIRMED'),
    rejected: status('REJECTED'),
    placed: status('PLACED'),
    stock: Number(book?.stock),
    catalogStock: Number(book?.catalog),
    reservations: Number(eventsOf('StockReserved')?.count ?? 0),
    duplicated,
    summariesDisagreeing: Number(disagreeing),
  };
}

/** Entries on every dead-letter stream (`*:dlq`) of a Redis. */
export async function deadLetterCount(redis: Redis): Promise<number> {
  const streams = await redis.keys('*:dlq');
  const lengths = await Promise.all(streams.map((stream) => redis.xlen(stream)));
  return lengths.reduce((sum, length) => sum + length, 0);
}
