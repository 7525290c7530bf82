import type { CommandMode } from '../../application/command-bus.js';
import type { Type } from '../../core/messages/domain-types.js';

/** Options of `ProteanCqrsModule.forRoot()`: how `@nestjs/cqrs` messages travel through Protean. */
export interface ProteanCqrsOptions {
  /**
   * The stream category of the application's commands and events: streams
   * `<domain>::<category>` (events) and `<domain>::<category>:command`. Default `cqrs`.
   */
  readonly category?: string;
  /**
   * The field naming the aggregate a command addresses (and an event's, when it is published
   * by no aggregate): it orders the messages of one aggregate. Default `id`; a message without
   * it is addressed by a new id, ordered with no other.
   */
  readonly identifiedBy?: string;
  /** Per command class: `sync` (`execute` returns the handler's result) or `async` (the worker). */
  readonly commands?: {
    /** Commands not listed below; default: `command_processing` of the configuration. */
    readonly default?: CommandMode;
    readonly sync?: readonly Type[];
    readonly async?: readonly Type[];
  };
  /**
   * Events that no `@EventsHandler` handles but a `@Saga` watches (`ofType(...)`): the worker
   * learns their classes from here. Events with an `@EventsHandler` are found by themselves.
   */
  readonly events?: readonly Type[];
  /** How long a saga may take over one event before it fails (and is retried); default 10 s. */
  readonly sagaTimeoutMs?: number;
}

/** Token of the {@link ProteanCqrsOptions}. */
export const PROTEAN_CQRS_OPTIONS = Symbol('PROTEAN_CQRS_OPTIONS');
