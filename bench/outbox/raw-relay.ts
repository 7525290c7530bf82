import type { Redis } from 'ioredis';
import type { Client } from 'pg';
// Not public API: the baseline runs the very statements of the package's relay.
import { DEFAULT_OUTBOX_STATEMENTS } from 'nestjs-protean/internal/adapters/postgresql/outbox/outbox.sql.js';

const { claim: CLAIM_OUTBOX, markPublished: MARK_PUBLISHED } = DEFAULT_OUTBOX_STATEMENTS;

interface ClaimedRow {
  id: string;
  message_id: string;
  stream_name: string;
  type: string;
  kind: string;
  payload_json: string;
  metadata_json: string;
}

/** `bookshelf::book-<id>` → `bookshelf::book`, written out here: the raw relay uses no framework. */
function category(stream: string): string {
  const dash = stream.indexOf('-', stream.indexOf('::') + 2);
  return dash === -1 ? stream : stream.slice(0, dash);
}

/**
 * The baseline: the minimal relay a person would write by hand — the same claim statement,
 * one pipelined XADD per row with ioredis, one UPDATE to mark — on one pg connection, with no
 * framework around it. Resolves to how many rows it published.
 */
export async function runRawRelay(pg: Client, redis: Redis, batch: number): Promise<number> {
  let published = 0;
  for (;;) {
    const { rows } = await pg.query<ClaimedRow>(CLAIM_OUTBOX, [batch, 'raw-relay', 30]);
    if (rows.length === 0) return published;
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    const pipeline = redis.pipeline();
    for (const row of rows) {
      const data =
        `{"id":${JSON.stringify(row.message_id)},"type":${JSON.stringify(row.type)},` +
        `"stream":${JSON.stringify(row.stream_name)},"kind":${JSON.stringify(row.kind)},` +
        `"payload":${row.payload_json},"metadata":${row.metadata_json}}`;
      pipeline.xadd(category(row.stream_name), '*', 'data', data);
    }
    const results = (await pipeline.exec()) ?? [];
    if (results.some(([error]) => error)) throw new Error('XADD failed in the raw relay');
    await pg.query(MARK_PUBLISHED, [rows.map((row) => row.id), 'raw-relay']);
    published += rows.length;
  }
}
