import type { HandlerRunner } from '../../libs/protean/src/application/handler-runner.js';
import type { Database } from '../../libs/protean/src/ports/database/database.port.js';
import type { RegisteredHandler } from '../../libs/protean/src/model/handler-registry.js';
import type {
  EventStore,
  StoredEvent,
} from '../../libs/protean/src/ports/event-store/event-store.port.js';
import type { MessageKind } from '../../libs/protean/src/core/messages/message-envelope.js';
import { EventStoreSubscription } from '../../libs/protean/src/runtime/server/event-store-subscription.js';
import type { ResolvedSubscriptionSettings } from '../../libs/protean/src/core/config/subscription-profiles.js';
import type { Clock } from '../../libs/protean/src/core/async/clock.js';
import type { SubscriptionObserver } from '../../libs/protean/src/runtime/server/subscription-observer.js';

/** What a test may set besides the events: the kinds delivered, the clock, a checkpoint log, an observer. */
export interface StubOptions {
  readonly observer?: SubscriptionObserver;
  readonly kinds?: ReadonlySet<MessageKind>;
  readonly clock?: Clock;
  /** Receives each checkpoint saved, in order. */
  readonly checkpoints?: number[];
}

/**
 * An `EventStoreSubscription` for unit tests of its own logic: `handler` fed from `events` in
 * memory, no checkpoint kept (a fresh start each time; the saves go to `checkpoints`), each
 * handler run directly.
 */
export function subscriptionOverEvents(
  handler: RegisteredHandler,
  events: readonly StoredEvent[],
  settings: ResolvedSubscriptionSettings,
  { kinds, clock, checkpoints = [], observer }: StubOptions = {},
): EventStoreSubscription {
  const store = {
    provider: 'memory',
    readAll: async (after: number) => events.filter((event) => event.globalPosition > after),
  } as unknown as EventStore;
  const database = {
    getProjection: async () => undefined,
    transaction: async (work: (session: unknown) => Promise<unknown>) =>
      work({
        putProjection: async (_name: string, row: { position: number }) =>
          void checkpoints.push(row.position),
      }),
  } as unknown as Database;
  const runner = {
    runOnce: (_h: string, _id: string, _ids: unknown, work: () => Promise<unknown>) => work(),
  } as unknown as HandlerRunner;
  return new EventStoreSubscription(
    handler,
    store,
    database,
    runner,
    settings,
    observer,
    kinds,
    clock,
  );
}
