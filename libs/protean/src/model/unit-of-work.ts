import type { EntityManager } from 'typeorm';
import type { DatabaseSession } from '../ports/database/database.port.js';
import type { MessageEnvelope } from '../core/messages/message-envelope.js';
import {
  hasPendingEvents,
  pullEventsOf,
  setVersionOf,
  versionOf,
  type AggregateRoot,
} from './aggregate-root.js';
import { NoEntityManagerError } from './no-entity-manager.error.js';
import type { Attempt } from './aggregate-locks.js';

/** An event raised in a unit of work, with the aggregate that raised it. */
export interface RaisedEvent {
  readonly event: object;
  readonly aggregateId: string;
}

/** What a unit of work without queued messages hands out: one empty list for all. */
const NONE: readonly MessageEnvelope[] = Object.freeze([]);

interface Tracked {
  readonly aggregate: AggregateRoot;
  readonly category: string;
  /** The state as loaded; `undefined` for an aggregate added in this unit of work. */
  readonly loadedState: string | undefined;
}

/**
 * One business transaction: the aggregates loaded or added through repositories (an identity
 * map), saved together at the end when changed, and the events they raised.
 */
export class UnitOfWork {
  /** Each made at its first use: most of a worker's handlers track no aggregate, queue nothing. */
  private tracked?: Map<string, Tracked>;
  private enqueued?: MessageEnvelope[];

  /**
   * `attempt`: the conflict-retry attempt this unit of work is (see `retryOnConflict`), which
   * its repositories consult before loading a hot aggregate; none outside such retries.
   */
  constructor(
    readonly session: DatabaseSession,
    readonly attempt?: Attempt,
  ) {}

  /**
   * This unit of work's transaction as a TypeORM `EntityManager`: the application's own
   * entities saved through it (`entityManager.getRepository(User).save(…)`) commit together
   * with the aggregates and the outbox, or roll back with them.
   */
  get entityManager(): EntityManager {
    const manager = this.session.entityManager;
    if (!manager) throw new NoEntityManagerError();
    return manager;
  }

  /** The instance already loaded in this unit of work, so one aggregate is one object. */
  identity(category: string, id: string): AggregateRoot | undefined {
    return this.tracked?.get(`${category}/${id}`)?.aggregate;
  }

  /** Tracks a loaded (`loadedState` given) or new aggregate. */
  track(aggregate: AggregateRoot, category: string, loadedState?: string): void {
    const key = `${category}/${aggregate.id}`;
    const tracked = (this.tracked ??= new Map());
    if (!tracked.has(key)) tracked.set(key, { aggregate, category, loadedState });
  }

  /** Queues a message (an async command) to be delivered when this unit of work commits. */
  enqueue(envelope: MessageEnvelope): void {
    (this.enqueued ??= []).push(envelope);
  }

  /** Messages queued with {@link enqueue}, in order. */
  queued(): readonly MessageEnvelope[] {
    return this.enqueued ?? NONE;
  }

  /** Whether it tracks any aggregate: one it does not has nothing to {@link flush}. */
  get tracksAny(): boolean {
    return this.tracked !== undefined;
  }

  /** Whether an aggregate it tracks has raised events that {@link flush} has not taken yet. */
  get raisedAny(): boolean {
    for (const { aggregate } of this.tracked?.values() ?? []) {
      if (hasPendingEvents(aggregate)) return true;
    }
    return false;
  }

  /** Saves every new or changed aggregate and returns the events raised, in raising order. */
  async flush(): Promise<RaisedEvent[]> {
    const raised: RaisedEvent[] = [];
    for (const { aggregate, category, loadedState } of this.tracked?.values() ?? []) {
      const events = pullEventsOf(aggregate);
      const state = JSON.stringify(aggregate);
      if (loadedState === undefined || state !== loadedState || events.length > 0) {
        const parsed = JSON.parse(state) as Record<string, unknown>;
        const version = await this.session.saveAggregate(
          category,
          aggregate.id,
          parsed,
          versionOf(aggregate),
        );
        setVersionOf(aggregate, version);
      }
      raised.push(...events.map((event) => ({ event, aggregateId: aggregate.id })));
    }
    return raised;
  }
}
