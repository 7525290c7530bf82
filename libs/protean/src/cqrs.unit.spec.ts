import 'reflect-metadata';
import {
  CommandHandler,
  EventsHandler,
  type ICommandHandler,
  type IEventHandler,
} from '@nestjs/cqrs';
import { DomainCommand, DomainEvent } from './core/messages/message.decorators.js';
import {
  COMMAND_HANDLER_METADATA,
  EVENT_HANDLER_METADATA,
} from './core/messages/protean.constants.js';
import {
  ProteanCommandHandler,
  ProteanEventHandler,
  type IProteanCommandHandler,
  type IProteanEventHandler,
} from './cqrs.js';

/*
 * The names both packages export (`CommandHandler`, `ICommandHandler`, `IEventHandler`, …)
 * imported into one file, with no renaming on import: `nestjs-protean/cqrs` has them prefixed.
 */

class CqrsCommand {}
class CqrsEvent {}

@DomainCommand({ category: 'mixed', identifiedBy: 'id' })
class ProteanCommand {
  readonly id!: string;
}
@DomainEvent({ category: 'mixed' })
class ProteanEvent {}

@CommandHandler(CqrsCommand)
class FromCqrs implements ICommandHandler<CqrsCommand> {
  async execute() {}
}

@EventsHandler(CqrsEvent)
class EventFromCqrs implements IEventHandler<CqrsEvent> {
  handle() {}
}

@ProteanCommandHandler(ProteanCommand)
class FromProtean implements IProteanCommandHandler<ProteanCommand> {
  async execute() {}
}

@ProteanEventHandler(ProteanEvent)
class EventFromProtean implements IProteanEventHandler<ProteanEvent> {
  async handle() {}
}

describe('nestjs-protean/cqrs beside @nestjs/cqrs in one file', () => {
  it('keeps each decorator to its own metadata', () => {
    expect(Reflect.getMetadata(COMMAND_HANDLER_METADATA, FromCqrs)).toBeUndefined();
    expect(Reflect.getMetadata(EVENT_HANDLER_METADATA, EventFromCqrs)).toBeUndefined();
    expect(Reflect.getMetadata(COMMAND_HANDLER_METADATA, FromProtean)).toMatchObject({
      command: ProteanCommand,
    });
    expect(Reflect.getMetadata(EVENT_HANDLER_METADATA, EventFromProtean)).toMatchObject({
      events: [ProteanEvent],
    });
    expect(Reflect.getMetadata('__commandHandler__', FromProtean)).toBeUndefined();
  });
});
