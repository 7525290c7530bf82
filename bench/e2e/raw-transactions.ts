import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';

/**
 * The database's limit for the shape of an accepted order: one transaction writing an
 * aggregate row and an outbox row (the sizes of a PlaceOrder), by `clients` pg clients at
 * once for `ms`, into copies of the tables (`raw_aggregates`, `raw_outbox`) that nothing
 * relays. Resolves to transactions per second.
 */
export async function runRawTransactions(uri: string, clients: number, ms: number) {
  let committed = 0;
  const started = performance.now();
  const deadline = started + ms;
  // Connecting is not part of the measure anywhere else either; it is a few ms here.
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = new Client({ connectionString: uri });
      await client.connect();
      try {
        while (performance.now() < deadline) {
          const id = randomUUID();
          const items = [{ bookId: randomUUID(), quantity: 1 }];
          await client.query('BEGIN');
          await client.query(
            `INSERT INTO raw_aggregates (category, id, version, state) VALUES ('order', $1, 1, $2::jsonb)`,
            [id, JSON.stringify({ id, customerName: 'Ada Lovelace', items, status: 'PLACED' })],
          );
          await client.query(
            `INSERT INTO raw_outbox (message_id, stream_name, type, kind, data, metadata)
             VALUES ($1, $2, 'bookshelf.OrderPlaced.v1', 'EVENT', $3::json, $4::json)`,
            [
              randomUUID(),
              `bookshelf::order-${id}`,
              JSON.stringify({ orderId: id, customerName: 'Ada Lovelace', items }),
              JSON.stringify({
                correlationId: id,
                causationId: id,
                time: new Date(),
                version: 1,
                headers: {},
              }),
            ],
          );
          await client.query('COMMIT');
          committed++;
        }
      } finally {
        await client.end();
      }
    }),
  );
  return (committed / (performance.now() - started)) * 1000;
}
