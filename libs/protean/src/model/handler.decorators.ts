import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import {
  COMMAND_HANDLER_METADATA,
  EVENT_HANDLER_METADATA,
  ON_EVENT_METADATA,
  PROJECTOR_METADATA,
  SUBSCRIBER_METADATA,
} from '../core/messages/protean.constants.js';
import type { HandlerOptions, Type } from '../core/messages/domain-types.js';

export interface CommandHandlerMetadata {
  readonly command: Type;
  readonly options: HandlerOptions;
}

export interface EventHandlerMetadata {
  readonly events: readonly Type[];
  readonly options: HandlerOptions;
}

export interface SubscriberOptions extends HandlerOptions {
  /** The broker stream to read, e.g. `external-orders`; its payloads are not envelopes. */
  readonly stream: string;
  /** The broker to read from; defaults to `default`. */
  readonly broker?: string;
}

/** The contract of a `@CommandHandler` class. */
export interface ICommandHandler<C extends object = object, R = unknown> {
  execute(command: C): Promise<R>;
}

/** The contract of an `@EventHandler` class. */
export interface IEventHandler<E extends object = object> {
  handle(event: E): Promise<void>;
}

/** The contract of a `@Subscriber` class: it receives the raw payload of an external stream. */
export interface ISubscriber<P = unknown> {
  handle(payload: P): Promise<void>;
}

/** Makes the class the one handler of `command`: its `execute(command)` runs in a unit of work. */
export const CommandHandler = (command: Type, options: HandlerOptions = {}) =>
  applyDecorators(
    Injectable(),
    SetMetadata(COMMAND_HANDLER_METADATA, { command, options } satisfies CommandHandlerMetadata),
  );

/**
 * Makes the class a handler of the given events: `handle(event)` runs once per event, in its
 * own unit of work. Several handlers may handle one event. Options may follow the events.
 */
export const EventHandler = (...args: Array<Type | HandlerOptions>) => {
  const events = args.filter((arg): arg is Type => typeof arg === 'function');
  const options = args.find((arg): arg is HandlerOptions => typeof arg !== 'function') ?? {};
  return applyDecorators(
    Injectable(),
    SetMetadata(EVENT_HANDLER_METADATA, { events, options } satisfies EventHandlerMetadata),
  );
};

/** Makes the class a projector: its `@On(Event)` methods keep read models up to date. */
export const Projector = (options: HandlerOptions = {}) =>
  applyDecorators(Injectable(), SetMetadata(PROJECTOR_METADATA, options));

/** Marks a projector method as the handler of the given events. */
export const On =
  (...events: Type[]): MethodDecorator =>
  (target, propertyKey) => {
    const existing = (Reflect.getMetadata(ON_EVENT_METADATA, target.constructor) ??
      []) as OnEventMetadata[];
    Reflect.defineMetadata(
      ON_EVENT_METADATA,
      [...existing, { events, method: propertyKey }],
      target.constructor,
    );
  };

export interface OnEventMetadata {
  readonly events: readonly Type[];
  readonly method: string | symbol;
}

/** Makes the class a subscriber of an external broker stream: `handle(payload)` gets each entry. */
export const Subscriber = (options: SubscriberOptions) =>
  applyDecorators(Injectable(), SetMetadata(SUBSCRIBER_METADATA, options));
