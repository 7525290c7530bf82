import { Injectable, type LoggerService } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  AggregateRoot,
  Aggregate,
  AggregateRepository,
  InjectAggregateRepository,
  CommandHandler,
  DomainCommand,
  DomainEvent,
  UnitOfWorkManager,
  loadConfiguration,
  type OutboxBroker,
  ProteanModule,
  ProteanWorkerModule,
  BROKER_REGISTRY,
} from 'nestjs-protean';
import { CaptureLogger } from './capture-logger.js';

/** A tiny domain for outbox tests: counters that raise `Bumped`. */
@DomainEvent({ category: 'counter' })
export class Bumped {
  readonly counterId!: string;
  readonly value!: number;
}

@Aggregate()
export class Counter extends AggregateRoot {
  value = 0;

  bump(times = 1): void {
    for (let n = 0; n < times; n++) {
      this.value += 1;
      this.raise(Object.assign(new Bumped(), { counterId: this.id, value: this.value }));
    }
  }
}

@DomainCommand({ category: 'counter', identifiedBy: 'counterId' })
export class Bump {
  readonly counterId!: string;
}

@CommandHandler(Bump)
export class BumpHandler {
  async execute(): Promise<void> {}
}

/** Bumps counters in units of work, as a command handler would. */
@Injectable()
export class Counters {
  constructor(
    private readonly units: UnitOfWorkManager,
    @InjectAggregateRepository(Counter) private readonly counters: AggregateRepository<Counter>,
  ) {}

  /** One unit of work: loads or adds the counter, bumps it `times`, then runs `andThen`. */
  bump(id: string, times = 1, andThen?: () => void): Promise<void> {
    return this.units.run(async () => {
      let counter = await this.counters.find(id);
      if (!counter) {
        counter = Object.assign(new Counter(), { id });
        this.counters.add(counter);
      }
      counter.bump(times);
      andThen?.();
    });
  }
}

export interface OutboxAppOptions {
  readonly domain: string;
  /** `databases.default.database_uri`; the memory database when absent. */
  readonly databaseUri?: string;
  readonly broker: OutboxBroker;
  /** Relay the outbox in this application (`ProteanWorkerModule`). */
  readonly relay?: boolean;
  /** More configuration (deep-merged under the outbox defaults of these tests). */
  readonly overrides?: Record<string, unknown>;
  /** Where the application logs; nowhere by default. */
  readonly logger?: LoggerService;
}

/**
 * A Nest application context with ProteanModule on PostgreSQL, async events and commands
 * through the outbox, and `broker` behind `BROKER_REGISTRY`.
 */
export async function startOutboxApp(options: OutboxAppOptions): Promise<TestingModule> {
  const config = loadConfiguration({
    embedded: true,
    overrides: merge(
      {
        event_processing: 'async',
        command_processing: 'async',
        enable_outbox: true,
        databases: {
          default: options.databaseUri
            ? { provider: 'postgresql', database_uri: options.databaseUri, pool_size: 5 }
            : { provider: 'memory' },
        },
        server: { shutdown_grace_seconds: 10 },
      },
      options.overrides ?? {},
    ),
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ProteanModule.forRoot({ domain: options.domain, config }),
      ...(options.relay ? [ProteanWorkerModule] : []),
      ProteanModule.forFeature({ aggregates: [Counter] }),
    ],
    providers: [BumpHandler, Counters],
  })
    .overrideProvider(BROKER_REGISTRY)
    .useValue({ get: () => options.broker })
    .setLogger(options.logger ?? new CaptureLogger())
    .compile();
  return moduleRef.init();
}

function merge(base: Record<string, unknown>, extra: Record<string, unknown>) {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && current && typeof current === 'object'
        ? merge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}
