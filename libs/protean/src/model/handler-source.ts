import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import type { HandlerOptions, Type } from '../core/messages/domain-types.js';

/** Reflect-metadata key of {@link HandlerSourceProvider}. */
export const HANDLER_SOURCE_METADATA = 'protean:handler-source';

/**
 * A handler that another discovery than Protean's decorators found (the `@nestjs/cqrs`
 * bridge): the registry registers it exactly as it registers a decorated one — its name is
 * its consumer group, its routes say what it handles.
 */
export interface SourcedHandler {
  /** The class it stands for: its name is the handler's name unless `options.name` says otherwise. */
  readonly metatype: Type;
  readonly instance: object;
  readonly kind: 'command' | 'event';
  readonly options: HandlerOptions;
  /** Message class → how it handles one (message classes carry `@DomainCommand` / `@DomainEvent` metadata). */
  readonly routes: ReadonlyArray<readonly [Type, (message: object) => Promise<unknown>]>;
}

/** A provider that contributes handlers to the registry at start-up. */
export interface HandlerSource {
  /** The handlers to register; asked once, while the registry discovers the decorated ones. */
  handlers(): readonly SourcedHandler[];
}

/** Marks a provider implementing {@link HandlerSource}: the handler registry asks it for handlers. */
export const HandlerSourceProvider = () =>
  applyDecorators(Injectable(), SetMetadata(HANDLER_SOURCE_METADATA, true));
