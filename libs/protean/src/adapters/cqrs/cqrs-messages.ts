import { randomUUID } from 'node:crypto';
import { DomainCommand, DomainEvent } from '../../core/messages/message.decorators.js';
import { MESSAGE_METADATA } from '../../core/messages/protean.constants.js';
import type { Type } from '../../core/messages/domain-types.js';
import type { ProteanCqrsOptions } from './protean-cqrs.options.js';

/** Category of `@nestjs/cqrs` messages when the options name none. */
export const DEFAULT_CQRS_CATEGORY = 'cqrs';

/**
 * Gives a `@nestjs/cqrs` command or event class the metadata of a Protean message — the
 * category of the options, its class name as its type name, version 1 — unless it has some
 * (a class decorated with `@DomainCommand` / `@DomainEvent` keeps its own). Idempotent.
 */
export function adoptCqrsMessage(
  type: Type,
  kind: 'COMMAND' | 'EVENT',
  options: ProteanCqrsOptions,
): Type {
  if (Reflect.hasOwnMetadata(MESSAGE_METADATA, type)) return type;
  const category = options.category ?? DEFAULT_CQRS_CATEGORY;
  const identifiedBy = options.identifiedBy ?? 'id';
  const decorate =
    kind === 'COMMAND' ? DomainCommand({ category, identifiedBy }) : DomainEvent({ category });
  decorate(type);
  return type;
}

/**
 * The aggregate a command addresses: its `identifiedBy` field, else a new id (its own stream
 * instance: ordered with nothing else). `@nestjs/cqrs` commands need not name an aggregate.
 */
export function targetOf(command: object, identifiedBy = 'id'): string {
  const field = (command as Record<string, unknown>)[identifiedBy];
  return isId(field) ? String(field) : randomUUID();
}

/**
 * The aggregate an event was raised by: the id of the aggregate that published it
 * (`AggregateRoot.commit()` passes itself), else the event's `identifiedBy` field, else a
 * new id (its own stream instance: ordered with nothing else).
 */
export function aggregateIdOf(event: object, dispatcher: unknown, identifiedBy = 'id'): string {
  const own = (dispatcher as { id?: unknown } | undefined)?.id;
  if (isId(own)) return String(own);
  const field = (event as Record<string, unknown>)[identifiedBy];
  return isId(field) ? String(field) : randomUUID();
}

function isId(value: unknown): value is string | number {
  return (typeof value === 'string' && value !== '') || typeof value === 'number';
}
