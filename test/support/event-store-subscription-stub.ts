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

/**
 * An `EventStoreSubscription` for unit tests of its own logic: `handler` fed from `events` in
 * memory, no checkpoint stored (a fresh start each time), each handler run directly.
 */
export function subscriptionOverEvents(
  handler: RegisteredHandler,
  events: readonly StoredEvent[],
  settings: ResolvedSubscriptionSettings,
  kinds?: ReadonlySet<MessageKind>,
): EventStoreSubscription {
  const store = {
    readAll: async (after: number) => events.filter((event) => event.globalPosition > after),
  } as unknown as EventStore;
  const database = {
    getProjection: async () => undefined,
    transaction: async () => undefined,
  } as unknown as Database;
  const runner = {
    runOnce: (_h: string, _id: string, _ids: unknown, work: () => Promise<unknown>) => work(),
  } as unknown as HandlerRunner;
  return new EventStoreSubscription(handler, store, database, runner, settings, undefined, kinds);
}
