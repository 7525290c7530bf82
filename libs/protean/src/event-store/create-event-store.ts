import type { ProteanConfig } from '../config/config.schema.js';
import { ConfigurationError } from '../config/configuration.error.js';
import type { EventStore } from './event-store.port.js';
import { MemoryEventStore } from './memory/memory-event-store.js';

/** The event store adapter for the `[event_store]` section. */
export function createEventStore(config: ProteanConfig['event_store']): EventStore {
  switch (config.provider) {
    case 'memory':
      return new MemoryEventStore();
    default:
      throw new ConfigurationError(
        'event_store.provider',
        `provider "${config.provider}" is not available yet`,
      );
  }
}
