import { Test, type TestingModule } from '@nestjs/testing';
import { CaptureLogger } from '../../../../test/support/capture-logger.js';
import { loadConfiguration } from '../core/config/load-configuration.js';
import { AggregateRoot } from '../model/aggregate-root.js';
import { Aggregate } from '../model/aggregate.decorator.js';
import { AggregateRepository, InjectAggregateRepository } from '../model/aggregate-repository.js';
import { CommandHandler, EventHandler, On, Projector } from '../model/handler.decorators.js';
import { DomainCommand, DomainEvent } from '../core/messages/message.decorators.js';
import { Projection } from '../model/projection.decorator.js';
import {
  InjectProjectionRepository,
  ProjectionRepository,
} from '../model/projection-repository.js';
import { HandlerRegistrationError } from '../model/handler-registration.error.js';
import type { EventStore } from '../ports/event-store/event-store.port.js';
import { CorrelationContext } from '../core/context/correlation-context.js';
import { ProteanModule } from '../runtime/protean.module.js';
import { EVENT_STORE } from '../core/protean.tokens.js';
import { CommandBus } from './command-bus.js';

@DomainEvent({ category: 'counter' })
class Bumped {
  readonly counterId!: string;
  readonly value!: number;
}

@Aggregate()
class Counter extends AggregateRoot {
  value = 0;

  bump(): void {
    this.value += 1;
    this.raise(Object.assign(new Bumped(), { counterId: this.id, value: this.value }));
  }
}

@DomainCommand({ category: 'counter', identifiedBy: 'counterId' })
class Bump {
  readonly counterId!: string;
  readonly failAfterRaising?: boolean;
}

@CommandHandler(Bump)
class BumpHandler {
  constructor(
    @InjectAggregateRepository(Counter) private readonly counters: AggregateRepository<Counter>,
  ) {}

  async execute(command: Bump): Promise<number> {
    let counter = await this.counters.find(command.counterId);
    if (!counter) {
      counter = Object.assign(new Counter(), { id: command.counterId });
      this.counters.add(counter);
    }
    counter.bump();
    if (command.failAfterRaising) throw new Error('command handler failed after raising');
    return counter.value;
  }
}

@Projection({ name: 'bump_log' })
class BumpLogEntry {
  id!: string;
  value!: number;
}

@EventHandler(Bumped)
class ExplodingHandler {
  async handle(): Promise<void> {
    throw new Error('handler exploded');
  }
}

@Projector()
class BumpLogProjector {
  constructor(
    @InjectProjectionRepository(BumpLogEntry)
    private readonly log: ProjectionRepository<BumpLogEntry>,
  ) {}

  @On(Bumped)
  async onBumped(event: Bumped): Promise<void> {
    await this.log.save({ id: event.counterId, value: event.value });
  }
}

async function start(
  providers: Array<new (...args: any[]) => object>,
  logger = new CaptureLogger(),
) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ProteanModule.forRoot({ domain: 'test', config: loadConfiguration({ embedded: true }) }),
      ProteanModule.forFeature({ aggregates: [Counter], projections: [BumpLogEntry] }),
    ],
    providers,
  })
    .setLogger(logger)
    .compile();
  return moduleRef.init();
}

describe('sync processing', () => {
  let app: TestingModule;
  let logger: CaptureLogger;
  let commands: CommandBus;
  let log: ProjectionRepository<BumpLogEntry>;

  beforeEach(async () => {
    logger = new CaptureLogger();
    // ExplodingHandler is registered before the projector, so it runs first.
    app = await start([BumpHandler, ExplodingHandler, BumpLogProjector, Holder], logger);
    commands = app.get(CommandBus);
    log = app.get(Holder).log;
  });

  afterEach(() => app.close());

  it('returns the handler result after the events were handled', async () => {
    await expect(commands.process(Object.assign(new Bump(), { counterId: 'c1' }))).resolves.toBe(1);
    await expect(log.get('c1')).resolves.toMatchObject({ value: 1 });
  });

  it('isolates a failing event handler: other handlers commit, the failure is logged with the correlation id', async () => {
    await CorrelationContext.run({ correlationId: 'req-42', causationId: 'req-42' }, () =>
      commands.process(Object.assign(new Bump(), { counterId: 'c2' })),
    );

    await expect(log.get('c2')).resolves.toMatchObject({ value: 1 });
    const failure = logger.errors().find((line) => line.includes('ExplodingHandler'));
    expect(failure).toContain('correlationId=req-42');
    expect(failure).toContain('handler exploded');
  });

  it('carries correlation and causation ids from the request through the command to its events', async () => {
    await CorrelationContext.run({ correlationId: 'req-7', causationId: 'req-7' }, () =>
      commands.process(Object.assign(new Bump(), { counterId: 'c3' })),
    );
    const [stored] = await app.get<EventStore>(EVENT_STORE).readStream('test::counter-c3');
    expect(stored.envelope.metadata.correlationId).toBe('req-7');
    expect(stored.envelope.metadata.causationId).not.toBe('req-7');
    expect(stored.envelope).toMatchObject({
      kind: 'EVENT',
      type: 'test.Bumped.v1',
      payload: { value: 1 },
    });
  });

  it('dispatches nothing and stores nothing when the command handler throws', async () => {
    await commands.process(Object.assign(new Bump(), { counterId: 'c4' }));
    await expect(
      commands.process(Object.assign(new Bump(), { counterId: 'c4', failAfterRaising: true })),
    ).rejects.toThrow('command handler failed after raising');

    await expect(log.get('c4')).resolves.toMatchObject({ value: 1 });
    await expect(
      app.get<EventStore>(EVENT_STORE).readStream('test::counter-c4'),
    ).resolves.toHaveLength(1);
    await expect(commands.process(Object.assign(new Bump(), { counterId: 'c4' }))).resolves.toBe(2);
  });
});

describe('handler wiring is checked at start-up', () => {
  it('refuses a command without a handler', async () => {
    await expect(start([])).rejects.toThrow(HandlerRegistrationError);
    await expect(start([])).rejects.toThrow('No command handler for Bump');
  });

  it('refuses two handlers of one command', async () => {
    @CommandHandler(Bump)
    class SecondBumpHandler {
      async execute(): Promise<void> {}
    }
    await expect(start([BumpHandler, SecondBumpHandler])).rejects.toThrow(
      'Bump has two command handlers, BumpHandler and SecondBumpHandler',
    );
  });
});

class Holder {
  constructor(
    @InjectProjectionRepository(BumpLogEntry) readonly log: ProjectionRepository<BumpLogEntry>,
  ) {}
}
