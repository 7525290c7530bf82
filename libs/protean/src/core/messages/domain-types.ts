import type { SubscriptionSettings } from '../config/config.schema.js';

/** A class, as decorators and registries see it. */
export type Type<T = object> = new (...args: any[]) => T;

/** What `@Aggregate` records. */
export interface AggregateMetadata {
  /** The stream category: `book` gives streams `<domain>::book` and `<domain>::book:command`. */
  readonly category: string;
}

/** What `@DomainCommand` / `@DomainEvent` record. */
export interface MessageMetadataOptions {
  /**
   * The stream category of the aggregate the message belongs to (`book` for `@Aggregate()
   * class Book`). A string, not the class, so that messages and aggregates may import each other.
   */
  readonly category: string;
  /** Type name on the wire; defaults to the class name. */
  readonly name?: string;
  /** Schema version; defaults to 1. */
  readonly version?: number;
  /** The field holding the target aggregate's id (required for commands). */
  readonly identifiedBy?: string;
}

export interface MessageTypeMetadata {
  readonly kind: 'COMMAND' | 'EVENT';
  readonly name: string;
  readonly version: number;
  readonly category: string;
  readonly identifiedBy?: string;
}

/** Options every handler decorator takes: its name (the consumer group) and subscription settings. */
export interface HandlerOptions extends SubscriptionSettings {
  /** The handler's name and consumer group; defaults to the class name. */
  readonly name?: string;
}
