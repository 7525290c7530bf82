import { Inject, Injectable } from '@nestjs/common';
import type { Database, SqlExecutor } from '../../../../ports/database/database.port.js';
import type { EventStore } from '../../../../ports/event-store/event-store.port.js';
import { kindOfStream } from '../../../../core/messages/stream-names.js';
import type { PostgresTables } from '../../../../core/config/postgres-tables.js';
import { DATABASE, EVENT_STORE } from '../../../../core/protean.tokens.js';
import { ProteanStatus } from '../../status/protean-status.js';
import { messageOf } from '../../../../core/errors/error-message.js';
import { DeadLetterBrowser, type BrokerLetter } from '../dead-letter-browser.js';
import { envelopeFacts } from '../dead-letter-view.js';
import { traceIdOf } from './trace-id.js';
import { streamIdTimeMs } from '../../../../ports/broker/stream-id.js';
import { buildTrail, mergeMessages } from './build-trail.js';
import type {
  MessageTrailResult,
  TrailDeadLetter,
  TrailHandling,
  TrailMessage,
} from './trail.types.js';

/** Most messages one trail shows. */
const TRAIL_LIMIT = 500;
/** Most events of an in-process event store scanned for a trail. */
const MEMORY_SCAN_LIMIT = 100_000;
/** Most dead letters per broker searched for a trail. */
const DEAD_LETTER_SCAN_LIMIT = 20_000;
/** Clocks of the processes that made and dead-lettered a message may differ this much. */
const CLOCK_SKEW_MS = 60_000;

/** The trail's statements on a database's tables (schema, prefix). */
const statementsOn = (tables: PostgresTables) => ({
  outboxByCorrelation: `
  SELECT message_id, kind, type, stream_name, status, retry_count, created_at, published_at,
         last_error, metadata->>'causationId' AS causation_id, metadata->>'time' AS time,
         metadata->'headers'->>'traceparent' AS traceparent
  FROM ${tables.outbox} WHERE metadata->>'correlationId' = $1 ORDER BY id LIMIT $2`,
  eventStoreByCorrelation: `
  SELECT message_id, type, stream_name, metadata->>'causationId' AS causation_id,
         metadata->>'time' AS time, metadata->'headers'->>'traceparent' AS traceparent
  FROM ${tables.eventStore} WHERE metadata->>'correlationId' = $1 ORDER BY global_position LIMIT $2`,
  processedByIds: `
  SELECT handler, message_id, processed_at FROM ${tables.processedMessages}
  WHERE message_id = ANY($1::text[]) ORDER BY processed_at`,
});
type TrailStatements = ReturnType<typeof statementsOn>;

interface OutboxTrailRow {
  message_id: string;
  kind: string;
  type: string;
  stream_name: string;
  status: string;
  retry_count: number;
  created_at: Date | string;
  published_at: Date | string | null;
  last_error: string | null;
  causation_id: string;
  time: string;
  traceparent: string | null;
}

/**
 * A message's trail by correlation id — command → events → handlers — from what the stores
 * really hold: the outbox table (every async command and event, with its relay status), the
 * event store, `processed_messages` (which handler processed which message, and when) and the
 * dead-letter streams. Each source is searched only where it can be; the answer says which
 * were, and what cannot be shown.
 */
@Injectable()
export class MessageTrail {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly status: ProteanStatus,
    private readonly browser: DeadLetterBrowser,
  ) {}

  async find(correlationId: string): Promise<MessageTrailResult> {
    const sources: string[] = [];
    const notes: string[] = [];
    const found: TrailMessage[] = [];
    const sql = this.database.sql;
    const statements = sql && statementsOn(sql.tables);
    if (sql && statements) {
      found.push(...(await this.fromOutbox(sql, statements, correlationId)));
      sources.push('outbox');
      if (await tableExists(sql, sql.tables.eventStore)) {
        found.push(...(await this.fromEventStoreTable(sql, statements, correlationId)));
        sources.push('event store');
      }
    } else {
      notes.push(
        'The memory database keeps the outbox and processed messages inside each process: commands and handlers are not shown.',
      );
    }
    if (this.eventStore.provider === 'memory') {
      found.push(...(await this.fromMemoryEventStore(correlationId)));
      sources.push('event store (this process)');
      notes.push("A memory event store holds only this process's events.");
    }
    const letters = await this.deadLetters(correlationId, notes, earliestOf(found, correlationId));
    sources.push('dead letters');
    const messages = mergeMessages([...found, ...letters.attached]).slice(0, TRAIL_LIMIT);
    let handledBy: TrailHandling[] = [];
    if (sql && statements) {
      const processed = await this.processed(sql, statements, [
        correlationId,
        ...messages.map((m) => m.id),
      ]);
      sources.push('processed messages');
      handledBy = processed.get(correlationId) ?? [];
      for (const message of messages) message.handledBy.push(...(processed.get(message.id) ?? []));
    }
    return {
      correlationId,
      handledBy,
      deadLetters: letters.unattached,
      roots: buildTrail(messages),
      count: messages.length,
      traceIds: [...new Set(messages.flatMap((m) => (m.traceId ? [m.traceId] : [])))],
      sources,
      notes,
    };
  }

  private async fromOutbox(
    sql: SqlExecutor,
    statements: TrailStatements,
    correlationId: string,
  ): Promise<TrailMessage[]> {
    const rows = await sql.query<OutboxTrailRow>(statements.outboxByCorrelation, [
      correlationId,
      TRAIL_LIMIT,
    ]);
    return rows.map((row) => ({
      id: row.message_id,
      kind: row.kind,
      type: row.type,
      stream: row.stream_name,
      causationId: row.causation_id,
      time: row.time,
      traceId: traceIdOf(row.traceparent),
      outbox: {
        status: row.status,
        retryCount: row.retry_count,
        createdAt: iso(row.created_at),
        publishedAt: row.published_at === null ? null : iso(row.published_at),
        lastError: row.last_error,
      },
      handledBy: [],
      deadLetters: [],
    }));
  }

  private async fromEventStoreTable(
    sql: SqlExecutor,
    statements: TrailStatements,
    correlationId: string,
  ): Promise<TrailMessage[]> {
    const rows = await sql.query<Omit<OutboxTrailRow, 'kind'>>(statements.eventStoreByCorrelation, [
      correlationId,
      TRAIL_LIMIT,
    ]);
    return rows.map((row) => ({
      id: row.message_id,
      kind: kindOfStream(row.stream_name),
      type: row.type,
      stream: row.stream_name,
      causationId: row.causation_id,
      time: row.time,
      traceId: traceIdOf(row.traceparent),
      handledBy: [],
      deadLetters: [],
    }));
  }

  private async fromMemoryEventStore(correlationId: string): Promise<TrailMessage[]> {
    const found: TrailMessage[] = [];
    for (let position = 0; position < MEMORY_SCAN_LIMIT;) {
      const events = await this.eventStore.readAll(position, 1000);
      if (events.length === 0) break;
      for (const { envelope } of events) {
        if (envelope.metadata.correlationId !== correlationId) continue;
        found.push({
          id: envelope.id,
          kind: envelope.kind,
          type: envelope.type,
          stream: envelope.stream,
          causationId: envelope.metadata.causationId,
          time: envelope.metadata.time,
          traceId: traceIdOf(envelope.metadata.headers?.traceparent),
          handledBy: [],
          deadLetters: [],
        });
      }
      position = events[events.length - 1].globalPosition;
    }
    return found;
  }

  private async processed(
    sql: SqlExecutor,
    statements: TrailStatements,
    ids: readonly string[],
  ): Promise<Map<string, TrailHandling[]>> {
    const rows = await sql.query<{
      handler: string;
      message_id: string;
      processed_at: Date | string;
    }>(statements.processedByIds, [ids]);
    const byMessage = new Map<string, TrailHandling[]>();
    for (const row of rows) {
      const list = byMessage.get(row.message_id) ?? [];
      list.push({ handler: row.handler, at: iso(row.processed_at) });
      byMessage.set(row.message_id, list);
    }
    return byMessage;
  }

  /** Dead letters of the trail: envelopes by their correlation id, external entries by theirs. */
  private async deadLetters(
    correlationId: string,
    notes: string[],
    sinceMs: number | undefined,
  ): Promise<{ attached: TrailMessage[]; unattached: TrailDeadLetter[] }> {
    const attached: TrailMessage[] = [];
    const unattached: TrailDeadLetter[] = [];
    for (const name of this.status.brokerNames()) {
      for (const { letter } of await this.lettersOf(name, sinceMs, notes)) {
        const facts = envelopeFacts(letter.data);
        const view: TrailDeadLetter = {
          broker: name,
          stream: letter.stream,
          id: letter.id,
          group: letter.provenance.group,
          error: letter.provenance.error,
          attempts: letter.provenance.attempts,
          failedAt: letter.provenance.failedAt,
        };
        if (facts?.correlationId === correlationId) {
          attached.push({
            id: facts.id,
            kind: facts.kind,
            type: facts.type,
            stream: facts.stream,
            causationId: facts.causationId,
            time: facts.time,
            traceId: facts.traceId ?? undefined,
            handledBy: [],
            deadLetters: [view],
          });
        } else if (`${letter.stream}/${letter.provenance.originalId}` === correlationId) {
          unattached.push(view);
        }
      }
    }
    return { attached, unattached };
  }

  /**
   * The dead letters of broker `name` from `sinceMs` on, at most DEAD_LETTER_SCAN_LIMIT read (a
   * note says so when it reached that limit) — or none, and a note naming the broker, when they cannot
   * be read: the rest of the trail stands.
   */
  private async lettersOf(
    name: string,
    sinceMs: number | undefined,
    notes: string[],
  ): Promise<BrokerLetter[]> {
    // A message is dead-lettered after it was made: the letters from then on.
    const filter = { broker: name, sinceMs };
    try {
      const scan = await this.browser.scan(filter, undefined, Infinity, DEAD_LETTER_SCAN_LIMIT);
      if (scan.next !== null) {
        notes.push(
          `Searched ${DEAD_LETTER_SCAN_LIMIT.toLocaleString('en')} dead letters of broker "${name}" ` +
            `from the trail's start, the limit: any later ones were not searched`,
        );
      }
      return scan.matched;
    } catch (error) {
      notes.push(`Dead letters of broker "${name}" could not be read: ${messageOf(error)}`);
      return [];
    }
  }
}

/**
 * When the trail's first message was made (less the clock skew allowed), so dead letters older
 * than that are not read: the earliest message found, or for an external entry's trail
 * (`<stream>/<id>`) its entry id's time; `undefined` when nothing tells.
 */
function earliestOf(found: readonly TrailMessage[], correlationId: string): number | undefined {
  const times = found.map((message) => Date.parse(message.time)).filter(Number.isFinite);
  const entry = /\/(\d+-\d+)$/.exec(correlationId)?.[1];
  if (entry) times.push(streamIdTimeMs(entry));
  return times.length === 0 ? undefined : Math.max(0, Math.min(...times) - CLOCK_SKEW_MS);
}

async function tableExists(sql: SqlExecutor, table: string): Promise<boolean> {
  const [row] = await sql.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [
    table,
  ]);
  return row?.found === true;
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}
