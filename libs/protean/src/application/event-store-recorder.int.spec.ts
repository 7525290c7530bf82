import type { TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { Bump, startOutboxApp } from '../../../../test/support/counter-domain.js';
import {
  createMigratedTestDatabase,
  type TestDatabase,
} from '../../../../test/support/postgres.js';
import { RecordingBroker } from '../../../../test/support/recording-broker.js';
import { uniqueDomain } from '../../../../test/support/redis.js';
import { CommandBus } from './command-bus.js';
import { UnitOfWorkManager } from '../model/unit-of-work-manager.js';
import { EVENT_STORE } from '../core/protean.tokens.js';
import type { EventStore } from '../ports/event-store/event-store.port.js';

/** Async commands in the event store (issue 14 §1): where they are recorded, and when not. */
describe('EventStoreRecorder: async commands', () => {
  let db: TestDatabase;
  const apps: TestingModule[] = [];
  const bump = (nest: TestingModule, counterId: string) =>
    nest.get(CommandBus).process(Object.assign(new Bump(), { counterId }));

  beforeAll(async () => {
    db = await createMigratedTestDatabase({ eventStore: true });
  });

  afterEach(() => Promise.all(apps.splice(0).map((nest) => nest.close())));
  afterAll(() => db.drop());

  async function start(options: { postgres: boolean }): Promise<TestingModule> {
    const nest = await startOutboxApp({
      domain: uniqueDomain(),
      broker: new RecordingBroker(),
      databaseUri: options.postgres ? db.uri : undefined,
      relay: false,
      overrides: options.postgres ? { event_store: { provider: 'postgresql' } } : {},
    });
    apps.push(nest);
    return nest;
  }

  it('records them on a command stream of their own, in the unit of work, beside the outbox row', async () => {
    const nest = await start({ postgres: true });
    const counterId = randomUUID();
    await bump(nest, counterId);

    const rows = await db.query<{ stream_name: string; type: string; message_id: string }>(
      `SELECT stream_name, type, message_id FROM event_store WHERE stream_name LIKE $1`,
      [`%:command-${counterId}`],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].stream_name).toMatch(new RegExp(`^[^:]+::counter:command-${counterId}$`));
    const outbox = await db.query<{ message_id: string }>(
      'SELECT message_id FROM outbox WHERE message_id = $1',
      [rows[0].message_id],
    );
    expect(outbox).toHaveLength(1);
    const store = nest.get<EventStore>(EVENT_STORE);
    const stored = (await store.readStream(rows[0].stream_name))[0];
    expect(stored.envelope.kind).toBe('COMMAND');
    // The aggregate's own stream is untouched.
    expect(await store.readStream(rows[0].stream_name.replace(':command-', '-'))).toEqual([]);
  });

  it('records nothing when the unit of work rolls back', async () => {
    const nest = await start({ postgres: true });
    const counterId = randomUUID();
    await expect(
      nest.get(UnitOfWorkManager).run(async () => {
        await bump(nest, counterId);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const rows = await db.query(`SELECT 1 FROM event_store WHERE stream_name LIKE $1`, [
      `%:command-${counterId}`,
    ]);
    expect(rows).toEqual([]);
  });

  it('keeps no command in a memory event store that no engine of this process reads', async () => {
    const nest = await start({ postgres: false });
    await bump(nest, randomUUID());
    const store = nest.get<EventStore>(EVENT_STORE);
    expect(await store.readAll(0, 100)).toEqual([]);
  });
});
