import 'reflect-metadata';
import { DomainEvent } from '../../core/messages/message.decorators.js';
import { messageMetadataOf, messageTypeName } from '../../core/messages/message-catalog.js';
import {
  adoptCqrsMessage,
  aggregateIdOf,
  DEFAULT_CQRS_CATEGORY,
  targetOf,
} from './cqrs-messages.js';

class KillDragonCommand {
  constructor(
    readonly heroId: string,
    readonly dragonId: string,
  ) {}
}
class HeroKilledDragonEvent {
  constructor(
    readonly heroId: string,
    readonly dragonId: string,
  ) {}
}
class Plain {}

@DomainEvent({ category: 'own', name: 'Renamed', version: 3 })
class AlreadyDeclared {}

describe('adoptCqrsMessage', () => {
  it('gives a command its class name, version 1, the category and identifiedBy of the options', () => {
    adoptCqrsMessage(KillDragonCommand, 'COMMAND', { category: 'hero', identifiedBy: 'heroId' });
    expect(messageMetadataOf(KillDragonCommand)).toEqual({
      kind: 'COMMAND',
      name: 'KillDragonCommand',
      version: 1,
      category: 'hero',
      identifiedBy: 'heroId',
    });
    expect(messageTypeName('heroes', KillDragonCommand)).toBe('heroes.KillDragonCommand.v1');
  });

  it('is idempotent, and leaves a class declared with Protean decorators as it is', () => {
    adoptCqrsMessage(HeroKilledDragonEvent, 'EVENT', { category: 'hero' });
    adoptCqrsMessage(HeroKilledDragonEvent, 'EVENT', { category: 'other' });
    expect(messageMetadataOf(HeroKilledDragonEvent).category).toBe('hero');
    adoptCqrsMessage(AlreadyDeclared, 'EVENT', { category: 'hero' });
    expect(messageMetadataOf(AlreadyDeclared)).toMatchObject({ name: 'Renamed', category: 'own' });
  });

  it('defaults the category to cqrs', () => {
    adoptCqrsMessage(Plain, 'EVENT', {});
    expect(messageMetadataOf(Plain).category).toBe(DEFAULT_CQRS_CATEGORY);
  });
});

describe('aggregateIdOf', () => {
  const event = new HeroKilledDragonEvent('h1', 'd1');

  it('is the id of the aggregate that published the event', () => {
    expect(aggregateIdOf(event, { id: 'agg-7' }, 'heroId')).toBe('agg-7');
    expect(aggregateIdOf(event, { id: 42 }, 'heroId')).toBe('42');
  });

  it('else the identifiedBy field of the event', () => {
    expect(aggregateIdOf(event, undefined, 'heroId')).toBe('h1');
    expect(aggregateIdOf(event, { id: '' }, 'heroId')).toBe('h1');
  });

  it('else a new id', () => {
    const first = aggregateIdOf(new Plain(), undefined);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(aggregateIdOf(new Plain(), undefined)).not.toBe(first);
  });
});

describe('targetOf', () => {
  it('is the identifiedBy field of the command', () => {
    expect(targetOf(new KillDragonCommand('h1', 'd1'), 'heroId')).toBe('h1');
  });

  it('else a new id: a @nestjs/cqrs command need not name an aggregate', () => {
    const target = targetOf(new KillDragonCommand('', 'd1'), 'heroId');
    expect(target).toMatch(/^[0-9a-f-]{36}$/);
    expect(targetOf(new Plain())).not.toBe(targetOf(new Plain()));
  });
});
