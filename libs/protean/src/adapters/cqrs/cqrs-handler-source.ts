import { Inject } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { CommandBus as CqrsCommandBus } from '@nestjs/cqrs';
import type { Type } from '../../core/messages/domain-types.js';
import { HandlerRegistrationError } from '../../model/handler-registration.error.js';
import {
  HandlerSourceProvider,
  type HandlerSource,
  type SourcedHandler,
} from '../../model/handler-source.js';
import { CQRS_COMMAND_HANDLER, CQRS_EVENTS_HANDLER, CQRS_SAGA } from './cqrs-metadata-keys.js';
import { adoptCqrsMessage } from './cqrs-messages.js';
import { PROTEAN_CQRS_OPTIONS, type ProteanCqrsOptions } from './protean-cqrs.options.js';
import { sagaStep, type SagaFunction } from './saga-step.js';

type Invoke = (message: object) => Promise<unknown>;

/**
 * Hands the `@nestjs/cqrs` handlers of the application to Protean's handler registry, so the
 * engine runs them as it runs its own (one consumer group per class, retries, dead letters,
 * exactly-once effects): each `@CommandHandler` as a command handler (`execute`), each
 * `@EventsHandler` as an event handler (`handle`), each class with `@Saga()` properties as an
 * event handler of every known event that runs its sagas on it ({@link sagaStep}) and sends
 * the commands they emit through `@nestjs/cqrs`'s `CommandBus` — into the same unit of work.
 * Their messages get Protean metadata ({@link adoptCqrsMessage}).
 */
@HandlerSourceProvider()
export class CqrsHandlerSource implements HandlerSource {
  private found?: SourcedHandler[];
  private readonly commandTypes = new Set<Type>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly cqrsCommands: CqrsCommandBus,
    @Inject(PROTEAN_CQRS_OPTIONS) private readonly options: ProteanCqrsOptions,
  ) {}

  /** The `@nestjs/cqrs` handlers, as the registry registers them. */
  handlers(): readonly SourcedHandler[] {
    return (this.found ??= this.discover());
  }

  /** The command classes that have a `@CommandHandler`. */
  commands(): readonly Type[] {
    this.handlers();
    return [...this.commandTypes];
  }

  private discover(): SourcedHandler[] {
    const wrappers = this.discovery
      .getProviders()
      .filter((wrapper) => typeof wrapper.metatype === 'function' && wrapper.instance);
    const of = (key: string) =>
      wrappers.filter((wrapper) => Reflect.hasMetadata(key, wrapper.metatype as Type));
    const events = new Set((this.options.events ?? []).map((type) => this.adopt(type, 'EVENT')));
    const found: SourcedHandler[] = [];
    for (const wrapper of of(CQRS_COMMAND_HANDLER)) found.push(this.commandHandler(wrapper));
    for (const wrapper of of(CQRS_EVENTS_HANDLER)) {
      const handler = this.eventsHandler(wrapper);
      for (const [type] of handler.routes) events.add(type);
      found.push(handler);
    }
    for (const wrapper of of(CQRS_SAGA)) found.push(this.sagas(wrapper, [...events]));
    return found;
  }

  private commandHandler(wrapper: InstanceWrapper): SourcedHandler {
    const { metatype, instance } = staticHandler(wrapper);
    const command = this.adopt(
      Reflect.getMetadata(CQRS_COMMAND_HANDLER, metatype) as Type,
      'COMMAND',
    );
    this.commandTypes.add(command);
    const invoke = method(metatype, instance, 'execute');
    return { metatype, instance, kind: 'command', options: {}, routes: [[command, invoke]] };
  }

  private eventsHandler(wrapper: InstanceWrapper): SourcedHandler {
    const { metatype, instance } = staticHandler(wrapper);
    const types = Reflect.getMetadata(CQRS_EVENTS_HANDLER, metatype) as Type[];
    const invoke = method(metatype, instance, 'handle');
    const routes = types.map((type) => [this.adopt(type, 'EVENT'), invoke] as const);
    return { metatype, instance, kind: 'event', options: {}, routes };
  }

  private sagas(wrapper: InstanceWrapper, events: readonly Type[]): SourcedHandler {
    const { metatype, instance } = staticHandler(wrapper);
    const sagas = (Reflect.getMetadata(CQRS_SAGA, metatype) as Array<string | symbol>).map(
      (key) => {
        const saga = (instance as Record<string | symbol, unknown>)[key];
        if (typeof saga !== 'function')
          throw new HandlerRegistrationError(
            `@Saga() ${metatype.name}.${String(key)} is not a function`,
          );
        const bound = (saga as SagaFunction).bind(instance);
        Object.defineProperty(bound, 'name', { value: `${metatype.name}.${String(key)}` });
        return bound;
      },
    );
    const invoke: Invoke = async (event) => {
      for (const saga of sagas)
        for (const command of await sagaStep(saga, event, this.options.sagaTimeoutMs))
          await this.cqrsCommands.execute(command);
    };
    return {
      metatype,
      instance,
      kind: 'event',
      options: {},
      routes: events.map((type) => [type, invoke] as const),
    };
  }

  private adopt(type: Type, kind: 'COMMAND' | 'EVENT'): Type {
    return adoptCqrsMessage(type, kind, this.options);
  }
}

/** The engine runs handlers outside any request: a request-scoped one cannot be created. */
function staticHandler(wrapper: InstanceWrapper): { metatype: Type; instance: object } {
  const metatype = wrapper.metatype as Type;
  if (!wrapper.isDependencyTreeStatic()) {
    throw new HandlerRegistrationError(
      `${metatype.name} is request-scoped (or depends on a request-scoped provider): the worker ` +
        'runs handlers outside any request; make it a singleton (the default scope)',
    );
  }
  return { metatype, instance: wrapper.instance as object };
}

function method(metatype: Type, instance: object, name: string): Invoke {
  const fn = (instance as Record<string, unknown>)[name];
  if (typeof fn !== 'function')
    throw new HandlerRegistrationError(`${metatype.name} must have a method ${name}()`);
  return (message) => Promise.resolve(fn.call(instance, message));
}
