import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import {
  Column,
  DataSource,
  Entity,
  type EntityManager,
  PrimaryColumn,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { CaptureLogger } from '../../../../../../test/support/capture-logger.js';
import { createTestDatabase, type TestDatabase } from '../../../../../../test/support/postgres.js';
import { CommandBus } from '../../../application/command-bus.js';
import type { ProteanConfig } from '../../../core/config/config.schema.js';
import { proteanConfiguration } from '../../../core/config/protean-configuration.js';
import {
  AggregateRepository,
  getRepositoryToken,
  InjectAggregateRepository,
} from '../../../model/aggregate-repository.js';
import { AggregateRoot } from '../../../model/aggregate-root.js';
import { Aggregate } from '../../../model/aggregate.decorator.js';
import { CommandHandler } from '../../../model/handler.decorators.js';
import { DomainCommand, DomainEvent } from '../../../core/messages/message.decorators.js';
import { TransactionalEntityManager } from '../../../model/transactional-entity-manager.js';
import { UnitOfWorkManager } from '../../../model/unit-of-work-manager.js';
import { proteanMigrations } from '../schema/protean-migrations.js';
import { ProteanModule } from '../../../runtime/protean.module.js';
import { JoinedTransactionError } from '../../../ports/database/joined-transaction.error.js';

/** The application's own entity, in its own table, saved through its own repositories. */
@Entity({ name: 'customers' })
class Customer {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
}

class CreateCustomers1700000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE customers (id text PRIMARY KEY, name text NOT NULL)');
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE customers');
  }
}

@DomainEvent({ category: 'account' })
class AccountOpened {
  readonly accountId!: string;
}

@Aggregate()
class Account extends AggregateRoot {
  static open(id: string): Account {
    const account = Object.assign(new Account(), { id });
    account.raise(Object.assign(new AccountOpened(), { accountId: id }));
    return account;
  }
}

@DomainCommand({ category: 'account', identifiedBy: 'accountId' })
class RegisterCustomer {
  readonly accountId!: string;
  readonly name!: string;
  readonly failAfterSaving?: boolean;
}

@CommandHandler(RegisterCustomer)
class RegisterCustomerHandler {
  constructor(
    private readonly transaction: TransactionalEntityManager,
    @InjectAggregateRepository(Account) private readonly accounts: AggregateRepository<Account>,
  ) {}

  async execute(command: RegisterCustomer): Promise<void> {
    await this.transaction
      .getRepository(Customer)
      .save({ id: command.accountId, name: command.name });
    this.accounts.add(Account.open(command.accountId));
    if (command.failAfterSaving) throw new Error('failed after saving');
  }
}

const SCHEMA = 'shop';
const PREFIX = 'protean_';
const PROTEAN_ENV = {
  PROTEAN_ENABLE_OUTBOX: 'true',
  PROTEAN_EVENT_PROCESSING: 'async',
  PROTEAN_DATABASES__DEFAULT__PROVIDER: 'postgresql',
  PROTEAN_DATABASES__DEFAULT__SCHEMA: SCHEMA,
  PROTEAN_DATABASES__DEFAULT__TABLE_PREFIX: PREFIX,
  PROTEAN_EVENT_STORE__PROVIDER: 'postgresql',
};

let db: TestDatabase;
let app: TestingModule;

/** The wiring the README documents: TypeORM and @nestjs/config, ProteanModule from both. */
async function startApp(): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        ignoreEnvFile: true,
        load: [proteanConfiguration({ env: PROTEAN_ENV })],
      }),
      TypeOrmModule.forRoot({
        type: 'postgres',
        url: db.uri,
        entities: [Customer],
        migrations: [
          CreateCustomers1700000000000,
          ...proteanMigrations({ schema: SCHEMA, tablePrefix: PREFIX }),
        ],
        migrationsRun: true,
      }),
      ProteanModule.forRootAsync({
        imports: [ConfigModule],
        inject: [ConfigService, getDataSourceToken()],
        useFactory: (config: ConfigService, dataSource: DataSource) => ({
          domain: 'shop',
          config: config.getOrThrow<ProteanConfig>('protean'),
          dataSource,
          runMigrations: false, // TypeORM runs Protean's migrations (above)
        }),
      }),
      ProteanModule.forFeature({ aggregates: [Account] }),
    ],
    providers: [RegisterCustomerHandler],
  })
    .setLogger(new CaptureLogger())
    .compile();
  return moduleRef.init();
}

/** Rows about account `id` in the app's table and in each of Protean's. */
async function committed(id: string) {
  const rows = async (table: string, where: string) =>
    Number((await db.query(`SELECT count(*) AS n FROM ${table} WHERE ${where} = $1`, [id]))[0].n);
  return {
    customers: await rows('customers', 'id'),
    aggregates: await rows(`${SCHEMA}.${PREFIX}aggregates`, 'id'),
    outbox: await rows(`${SCHEMA}.${PREFIX}outbox`, "data->>'accountId'"),
    eventStore: await rows(`${SCHEMA}.${PREFIX}event_store`, "data->>'accountId'"),
  };
}
const all = { customers: 1, aggregates: 1, outbox: 1, eventStore: 1 };
const none = { customers: 0, aggregates: 0, outbox: 0, eventStore: 0 };

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startApp();
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe("ProteanModule on the application's TypeORM DataSource", () => {
  it('reads the configuration through ConfigService', () => {
    const config = app.get(ConfigService);
    expect(config.get('protean.databases.default.provider')).toBe('postgresql');
    expect(config.get('protean.databases.default.table_prefix')).toBe(PREFIX);
  });

  it("commits a handler's own entity, its aggregate, the outbox row and the event together", async () => {
    await app
      .get(CommandBus)
      .process(Object.assign(new RegisterCustomer(), { accountId: 'a1', name: 'Ada' }));
    await expect(committed('a1')).resolves.toEqual(all);
  });

  it('leaves neither the entity nor an outbox row when the handler throws after saving', async () => {
    const failing = Object.assign(new RegisterCustomer(), {
      accountId: 'a2',
      name: 'Bob',
      failAfterSaving: true,
    });
    await expect(app.get(CommandBus).process(failing)).rejects.toThrow('failed after saving');
    await expect(committed('a2')).resolves.toEqual(none);
  });

  it("runs a unit of work inside the application's own transaction, committing with it", async () => {
    const dataSource = app.get(DataSource);
    const units = app.get(UnitOfWorkManager);
    const accounts = app.get<AggregateRepository<Account>>(getRepositoryToken(Account), {
      strict: false,
    });
    const dispatched: string[][] = [];
    units.afterCommit(async (messages) => {
      dispatched.push(messages.map((message) => message.type));
    });

    await dataSource.transaction(async (manager) => {
      await manager.getRepository(Customer).save({ id: 'a3', name: 'Cy' });
      await units.run(async () => accounts.add(Account.open('a3')), { manager });
      expect(dispatched).toEqual([]); // not before the application commits
    });
    await expect(committed('a3')).resolves.toEqual(all);
    expect(dispatched).toEqual([['shop.AccountOpened.v1']]);

    await expect(
      dataSource.transaction(async (manager) => {
        await manager.getRepository(Customer).save({ id: 'a4', name: 'Di' });
        await units.run(async () => accounts.add(Account.open('a4')), { manager });
        throw new Error('the application rolls back');
      }),
    ).rejects.toThrow('the application rolls back');
    await expect(committed('a4')).resolves.toEqual(none);
    expect(dispatched).toHaveLength(1); // nothing dispatched for the rolled-back one
  });

  it('dispatches after the outermost commit, and never for work in a savepoint rolled back', async () => {
    const units = app.get(UnitOfWorkManager);
    const accounts = app.get<AggregateRepository<Account>>(getRepositoryToken(Account), {
      strict: false,
    });
    const dispatched: string[] = [];
    units.afterCommit(async (messages) => {
      dispatched.push(...messages.map((message) => String(message.payload.accountId)));
    });
    const openIn = (manager: EntityManager, id: string) =>
      units.run(async () => accounts.add(Account.open(id)), { manager });

    await app.get(DataSource).transaction(async (outer) => {
      await outer.transaction((savepoint) => openIn(savepoint, 'a6')); // released
      await outer
        .transaction(async (savepoint) => {
          await openIn(savepoint, 'a7');
          throw new Error('roll back to the savepoint');
        })
        .catch(() => undefined);
      expect(dispatched).toEqual([]);
    });
    expect(dispatched).toEqual(['a6']);
    await expect(committed('a6')).resolves.toMatchObject({ aggregates: 1, outbox: 1 });
    await expect(committed('a7')).resolves.toMatchObject({ aggregates: 0, outbox: 0 });
  });

  it("processes a command inside the application's transaction, rolled back with it", async () => {
    const register = Object.assign(new RegisterCustomer(), { accountId: 'a5', name: 'Ed' });
    await expect(
      app.get(DataSource).transaction(async (manager) => {
        await app.get(UnitOfWorkManager).run(() => app.get(CommandBus).process(register), {
          manager,
        });
        await expect(
          manager.getRepository(Customer).findOneBy({ id: 'a5' }),
        ).resolves.toMatchObject({ name: 'Ed' }); // the handler wrote in this transaction
        throw new Error('the application rolls back');
      }),
    ).rejects.toThrow('the application rolls back');
    await expect(committed('a5')).resolves.toEqual(none);
  });

  it('refuses to join an EntityManager outside a transaction', async () => {
    const units = app.get(UnitOfWorkManager);
    await expect(
      units.run(async () => undefined, { manager: app.get(DataSource).manager }),
    ).rejects.toThrow(JoinedTransactionError);
  });
});
