import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import {
  AggregateRoot,
  CommandBus as CqrsCommandBus,
  CommandHandler,
  EventBus as CqrsEventBus,
  EventPublisher,
  EventsHandler,
  ofType,
  Saga,
  type ICommandHandler,
  type IEventHandler,
} from '@nestjs/cqrs';
import { Test, type TestingModule } from '@nestjs/testing';
import { map, type Observable } from 'rxjs';
import { loadConfiguration } from '../../core/config/load-configuration.js';
import type { MessageEnvelope } from '../../core/messages/message-envelope.js';
import { HandlerRegistry } from '../../model/handler-registry.js';
import { UnitOfWorkManager } from '../../model/unit-of-work-manager.js';
import { ProteanModule } from '../../runtime/protean.module.js';
import { ProteanCqrsModule } from './protean-cqrs.module.js';

/*
 * The bridge in one process, on the embedded memory stores, with `event_processing = "sync"`:
 * what each unit of work commits is recorded by an after-commit hook of the test's own.
 */

class Kill {
  constructor(
    readonly heroId: string,
    readonly dragonId: string,
    readonly failAfterCommit = false,
  ) {}
}
class DropItem {
  constructor(
    readonly heroId: string,
    readonly itemId: string,
  ) {}
}
class Shout {
  constructor(readonly words: string) {}
}
class Killed {
  constructor(
    readonly heroId: string,
    readonly dragonId: string,
  ) {}
}

class Hero extends AggregateRoot {
  constructor(readonly id: string) {
    super();
  }
  kill(dragonId: string) {
    this.apply(new Killed(this.id, dragonId));
  }
}

const handled: string[] = [];

@CommandHandler(Kill)
class KillHandler implements ICommandHandler<Kill> {
  constructor(private readonly publisher: EventPublisher) {}
  async execute(command: Kill) {
    const hero = this.publisher.mergeObjectContext(new Hero(command.heroId));
    hero.kill(command.dragonId);
    hero.commit();
    if (command.failAfterCommit) throw new Error('the hero slipped');
    return `killed ${command.dragonId}`;
  }
}

@CommandHandler(DropItem)
class DropItemHandler implements ICommandHandler<DropItem> {
  async execute(command: DropItem) {
    handled.push(`dropped ${command.itemId}`);
  }
}

@CommandHandler(Shout)
class ShoutHandler implements ICommandHandler<Shout> {
  async execute(command: Shout) {
    return command.words.toUpperCase();
  }
}

@EventsHandler(Killed)
class KilledHandler implements IEventHandler<Killed> {
  handle(event: Killed) {
    handled.push(`chronicled ${event.dragonId}`);
  }
}

@Injectable()
class HeroSagas {
  @Saga()
  killed = (events$: Observable<object>) =>
    events$.pipe(
      ofType(Killed),
      map((event) => new DropItem(event.heroId, `relic-of-${event.dragonId}`)),
    );
}

describe('ProteanCqrsModule in one process (event_processing = "sync")', () => {
  let moduleRef: TestingModule;
  let commits: MessageEnvelope[][];
  let commands: CqrsCommandBus;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        ProteanModule.forRoot({
          domain: 'game',
          config: loadConfiguration({
            embedded: true,
            overrides: { command_processing: 'async', event_processing: 'sync' },
          }),
        }),
        ProteanCqrsModule.forRoot({
          category: 'hero',
          identifiedBy: 'heroId',
          commands: { default: 'sync', async: [DropItem] },
        }),
      ],
      providers: [KillHandler, DropItemHandler, ShoutHandler, KilledHandler, HeroSagas],
    }).compile();
    moduleRef.get(UnitOfWorkManager).afterCommit(async (messages) => {
      commits.push([...messages]);
    });
    await moduleRef.init();
    commands = moduleRef.get(CqrsCommandBus);
  });

  afterAll(() => moduleRef?.close());

  beforeEach(() => {
    commits = [];
    handled.length = 0;
  });

  const summary = (commit: MessageEnvelope[]) =>
    commit.map(({ kind, type, stream }) => `${kind} ${type} ${stream}`);

  it('registers the @nestjs/cqrs handlers and the saga class as Protean handlers (consumer groups)', () => {
    const handlers = moduleRef.get(HandlerRegistry).handlers();
    expect(handlers.map(({ name, kind, streams }) => ({ name, kind, streams }))).toEqual([
      { name: 'KillHandler', kind: 'command', streams: ['game::hero:command'] },
      { name: 'DropItemHandler', kind: 'command', streams: ['game::hero:command'] },
      { name: 'ShoutHandler', kind: 'command', streams: ['game::hero:command'] },
      { name: 'KilledHandler', kind: 'event', streams: ['game::hero'] },
      { name: 'HeroSagas', kind: 'event', streams: ['game::hero'] },
    ]);
  });

  it('runs a sync command in a unit of work: execute returns its result, its event commits with it', async () => {
    expect(await commands.execute(new Kill('h1', 'smaug'))).toBe('killed smaug');
    expect(summary(commits[0])).toEqual(['EVENT game.Killed.v1 game::hero-h1']);
    // Handled after the commit (sync events): the events handler, and the saga, whose async
    // command is written in the saga's own unit of work — not run here.
    expect(handled).toEqual(['chronicled smaug']);
    expect(commits.slice(1).map(summary)).toEqual([
      ['COMMAND game.DropItem.v1 game::hero:command-h1'],
    ]);
    expect(commits[1][0].payload).toEqual({ heroId: 'h1', itemId: 'relic-of-smaug' });
  });

  it('runs a command that names no aggregate (no identifiedBy field)', async () => {
    expect(await commands.execute(new Shout('for frodo'))).toBe('FOR FRODO');
  });

  it('writes an async command for the worker: execute resolves to undefined, no handler runs', async () => {
    expect(await commands.execute(new DropItem('h2', 'ring'))).toBeUndefined();
    expect(commits.map(summary)).toEqual([['COMMAND game.DropItem.v1 game::hero:command-h2']]);
    expect(handled).toEqual([]);
  });

  it('publishes nothing when the handler fails after AggregateRoot.commit(): the unit of work rolls back', async () => {
    await expect(commands.execute(new Kill('h3', 'fafnir', true))).rejects.toThrow(
      'the hero slipped',
    );
    expect(commits).toEqual([]);
    expect(handled).toEqual([]);
  });

  it('publishes an event outside a unit of work in a transaction of its own, awaited by EventBus.publish', async () => {
    await moduleRef.get(CqrsEventBus).publish(new Killed('h4', 'glaurung'));
    expect(commits.map(summary)[0]).toEqual(['EVENT game.Killed.v1 game::hero-h4']);
    expect(handled).toEqual(['chronicled glaurung']);
  });
});
