/*
 * The statements of the `postgresql` outbox, for a database's table names (schema, prefix).
 * The claim is shared with the benchmark's hand-written relay, so both measure the same
 * database work.
 */
import { PostgresTables } from '../../../core/config/postgres-tables.js';

/** The channel writers notify at commit and processors listen on. */
export const OUTBOX_CHANNEL = 'protean_outbox';

const UNPUBLISHED = `('pending', 'processing', 'failed')`;

/** The outbox's statements on the `outbox` table of `tables`. */
export function outboxStatements(tables: PostgresTables) {
  const outbox = tables.outbox;
  return {
    /**
     * One statement appends the rows (ids in envelope order). With a lease owner ($7, for $8
     * seconds), a row is written leased to it — `processing`, as a claim would leave it — for
     * its writer to publish right after the commit, when every earlier unpublished row of its
     * aggregate stream is leased to that owner too (none, mostly): the writer publishes its
     * rows in commit order. The others are written `pending`, behind the earlier rows of their
     * streams. The earlier rows of a stream are committed before a later one is written (an
     * aggregate's next transaction waits for its version), so this statement sees them. When any row is
     * `pending`, a notification wakes the processors, delivered only if, and when, the
     * transaction commits. `created_at` is the time of this statement, the last of its
     * transaction (not `now()`, the transaction's start): a row's age counts from when it was
     * written. Returns every row with its status.
     */
    append: `
  WITH m AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         WITH ORDINALITY AS m(message_id, stream_name, type, kind, data, metadata, ord)
  ),
  busy AS (
    SELECT DISTINCT m.stream_name AS busy_stream FROM m
    WHERE EXISTS (SELECT 1 FROM ${outbox} e
                  WHERE e.stream_name = m.stream_name AND e.status IN ${UNPUBLISHED}
                    AND (e.status <> 'processing' OR e.locked_by IS DISTINCT FROM $7::text
                         OR e.locked_until <= now()))
  ),
  appended AS (
    INSERT INTO ${outbox} (message_id, stream_name, type, kind, data, metadata, created_at, status, locked_by, locked_until)
    SELECT m.message_id, m.stream_name, m.type, m.kind, m.data::json, m.metadata::json, clock_timestamp(),
           CASE WHEN l.leased THEN 'processing' ELSE 'pending' END,
           CASE WHEN l.leased THEN $7::text END,
           CASE WHEN l.leased THEN now() + make_interval(secs => $8::float8) END
    FROM m LEFT JOIN busy b ON b.busy_stream = m.stream_name
    CROSS JOIN LATERAL (SELECT $7::text IS NOT NULL AND b.busy_stream IS NULL AS leased) AS l
    ORDER BY m.ord
    RETURNING id, message_id, status
  ),
  woken AS (
    SELECT pg_notify('${OUTBOX_CHANNEL}', '') FROM appended WHERE status = 'pending' LIMIT 1
  )
  SELECT a.id, a.message_id, a.status, (SELECT count(*) FROM woken)::int AS woken
  FROM appended a ORDER BY a.id`,

    /**
     * Claims up to $1 rows for owner $2 for $3 seconds, in three steps:
     *
     * 1. `candidates`: the oldest due rows (pending or failed and past `next_retry_at`, or
     *    processing with an expired lease), locked with SKIP LOCKED so concurrent claimers split
     *    them instead of waiting on each other.
     * 2. `firsts`: for each candidate stream with k candidates, the first k unpublished rows of the
     *    stream (one short index range scan on the partial `(stream_name, id)` index).
     * 3. A candidate ranked j-th in its stream is claimed only if it is also the stream's j-th
     *    unpublished row: then every earlier unpublished row of the stream is claimed with it. A
     *    row held by another processor, failed and not yet due, or skipped as locked breaks the
     *    match, and the stream's later rows wait for the next claim.
     *
     * The cost is O(limit) index entries, however long the backlog or a single stream is.
     */
    claim: `
  WITH candidates AS MATERIALIZED (
    SELECT id, stream_name FROM ${outbox}
    WHERE status IN ${UNPUBLISHED}
      AND ((status <> 'processing' AND next_retry_at <= now())
        OR (status = 'processing' AND locked_until < now()))
    ORDER BY id
    LIMIT $1
    FOR UPDATE SKIP LOCKED
  ),
  ranked AS (
    SELECT id, stream_name,
           row_number() OVER (PARTITION BY stream_name ORDER BY id) AS rank,
           count(*) OVER (PARTITION BY stream_name) AS taken
    FROM candidates
  ),
  firsts AS (
    SELECT s.stream_name, f.id, row_number() OVER (PARTITION BY s.stream_name ORDER BY f.id) AS rank
    FROM (SELECT DISTINCT stream_name, taken FROM ranked) AS s
    CROSS JOIN LATERAL (
      SELECT e.id FROM ${outbox} e
      WHERE e.stream_name = s.stream_name AND e.status IN ${UNPUBLISHED}
      ORDER BY e.id
      LIMIT s.taken
    ) AS f
  )
  UPDATE ${outbox} o
  SET status = 'processing', locked_by = $2, locked_until = now() + make_interval(secs => $3)
  FROM ranked r
  JOIN firsts f ON f.stream_name = r.stream_name AND f.rank = r.rank AND f.id = r.id
  WHERE o.id = r.id
  RETURNING o.id, o.message_id, o.stream_name, o.type, o.kind, o.retry_count,
            (extract(epoch FROM o.created_at) * 1000)::float8 AS created_ms,
            o.data::text AS payload_json, o.metadata::text AS metadata_json`,

    /**
     * Marks rows of $1 still leased to $2 as published; when a due row of their streams waits
     * behind them (written while they were unpublished), wakes the processors for it.
     */
    markPublished: `
  WITH marked AS (
    UPDATE ${outbox}
    SET status = 'published', published_at = now(), locked_by = NULL, locked_until = NULL
    WHERE id = ANY($1::bigint[]) AND locked_by = $2 AND status = 'processing'
    RETURNING stream_name
  ),
  woken AS (
    SELECT pg_notify('${OUTBOX_CHANNEL}', '') FROM ${outbox} e
    WHERE e.stream_name IN (SELECT stream_name FROM marked) AND e.status IN ('pending', 'failed')
    LIMIT 1
  )
  SELECT (SELECT count(*) FROM marked)::int AS marked, (SELECT count(*) FROM woken)::int AS woken`,

    /** Records failed attempts ($1 ids, $2 delays, $3 abandon flags, $4 errors) of owner $5. */
    markFailed: `
  UPDATE ${outbox} o
  SET status = CASE WHEN f.abandon THEN 'abandoned' ELSE 'failed' END,
      retry_count = o.retry_count + 1,
      last_attempt_at = now(),
      next_retry_at = now() + make_interval(secs => CASE WHEN f.abandon THEN 0 ELSE f.delay END),
      last_error = f.error,
      locked_by = NULL,
      locked_until = NULL
  FROM unnest($1::bigint[], $2::float8[], $3::boolean[], $4::text[]) AS f(id, delay, abandon, error)
  WHERE o.id = f.id AND o.locked_by = $5 AND o.status = 'processing'`,

    /** Hands rows of $1 leased to $2 back as they were before the claim. */
    release: `
  UPDATE ${outbox}
  SET status = CASE WHEN retry_count > 0 THEN 'failed' ELSE 'pending' END,
      locked_by = NULL, locked_until = NULL
  WHERE id = ANY($1::bigint[]) AND locked_by = $2 AND status = 'processing'`,

    countByStatus: `SELECT status, count(*)::int AS count FROM ${outbox} GROUP BY status`,

    oldestPendingAge: `
  SELECT extract(epoch FROM now() - created_at)::float8 AS age FROM ${outbox}
  WHERE status IN ${UNPUBLISHED} ORDER BY id LIMIT 1`,

    /** Requeues abandoned rows and wakes the processors, as a commit of new rows would. */
    retryAbandoned: `
  WITH requeued AS (
    UPDATE ${outbox} SET status = 'pending', retry_count = 0, next_retry_at = now()
    WHERE status = 'abandoned'
    RETURNING 1
  )
  SELECT count(*)::int AS count, pg_notify('${OUTBOX_CHANNEL}', '') AS notified FROM requeued`,

    /**
     * Makes rows published at or after $1 pending again and wakes the processors: for a broker
     * that lost what it had been given (a Redis restarted without its data).
     */
    republishSince: `
  WITH requeued AS (
    UPDATE ${outbox} SET status = 'pending', retry_count = 0, next_retry_at = now(),
                      published_at = NULL, locked_by = NULL, locked_until = NULL
    WHERE status = 'published' AND published_at >= $1
    RETURNING 1
  )
  SELECT count(*)::int AS count, pg_notify('${OUTBOX_CHANNEL}', '') AS notified FROM requeued`,

    /** Deletes at most $3 rows: published over $1 seconds ago, or abandoned and written over $2 seconds ago. */
    cleanupBatch: `
  DELETE FROM ${outbox} WHERE id IN (
    SELECT id FROM ${outbox}
    WHERE (status = 'published' AND published_at < now() - make_interval(secs => $1))
       OR (status = 'abandoned' AND created_at < now() - make_interval(secs => $2))
    LIMIT $3
  )`,
  } as const;
}

/** The statements on `public.outbox`, the default table. */
export type OutboxStatements = ReturnType<typeof outboxStatements>;
export const DEFAULT_OUTBOX_STATEMENTS: OutboxStatements = outboxStatements(new PostgresTables());
