import { randomUUID } from 'node:crypto';
import { DomainEvent, serializeEnvelope } from 'nestjs-protean';

/** The benchmarks' domain: its streams are `bench::<category>`. */
export const BENCH_DOMAIN = 'bench';

/** The event the consume, memory and fan-out benchmarks move (≈ 300-byte envelopes). */
@DomainEvent({ category: 'ping' })
export class Pinged {
  readonly pingId!: string;
  readonly sequence!: number;
  readonly note!: string;
}

/** The broker stream of `Pinged`. */
export const PING_STREAM = `${BENCH_DOMAIN}::ping`;

/**
 * The consume benchmark's contenders, each run in a process of its own. `raw-decode` and
 * `raw-call` are the raw loop doing the least any consumer of these envelopes does: decode and
 * check each one, then also call an async handler with it in a correlation scope; `raw-once`
 * calls it as the engine does, at most once, in a unit of work of the memory database.
 * `engine-pg` and `raw-once-pg` are the engine and `raw-once` keeping their exactly-once
 * records in PostgreSQL (`BENCH_DATABASE_URI`), as a production worker does.
 */
export type Contender =
  | 'engine'
  | 'engine-pg'
  | 'bullmq'
  | 'raw'
  | 'raw-decode'
  | 'raw-call'
  | 'raw-once'
  | 'raw-once-pg';

/** The environment variable naming the migrated database of the `-pg` contenders. */
export const BENCH_DATABASE_URI = 'BENCH_DATABASE_URI';
/** The BullMQ queue of the consume benchmark. */
export const BULLMQ_QUEUE = 'bench-consume';
/** The consumer group of the raw XREADGROUP loop. */
export const RAW_GROUP = 'raw';

/**
 * The JSON text of the n-th `Pinged`, as the outbox relay would publish it; `aggregates`
 * aggregate ids, so the engine's per-aggregate ordering leaves room for concurrency.
 */
export function pingEnvelope(sequence: number, aggregates: number): string {
  const pingId = `00000000-0000-4000-8000-${String(sequence % aggregates).padStart(12, '0')}`;
  const id = randomUUID();
  return serializeEnvelope({
    id,
    type: `${BENCH_DOMAIN}.Pinged.v1`,
    stream: `${PING_STREAM}-${pingId}`,
    kind: 'EVENT',
    payload: { pingId, sequence, note: 'a no-op event of a benchmark' },
    metadata: {
      correlationId: id,
      causationId: id,
      time: new Date().toISOString(),
      version: 1,
      headers: {},
    },
  });
}
