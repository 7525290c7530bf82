import { Injectable } from '@nestjs/common';
import fc from 'fast-check';
import { Test, type TestingModule } from '@nestjs/testing';
import { CaptureLogger } from '../../../../../test/support/capture-logger.js';
import {
  createMigratedTestDatabase,
  type TestDatabase,
} from '../../../../../test/support/postgres.js';
import { HandlerRunner, type OnceWork } from '../../application/handler-runner.js';
import { loadConfiguration } from '../../core/config/load-configuration.js';
import { CorrelationContext } from '../../core/context/correlation-context.js';
import { DomainEvent } from '../../core/messages/message.decorators.js';
import type { MessageEnvelope } from '../../core/messages/message-envelope.js';
import { AggregateRoot } from '../../model/aggregate-root.js';
import { Aggregate } from '../../model/aggregate.decorator.js';
import {
  AggregateRepository,
  InjectAggregateRepository,
} from '../../model/aggregate-repository.js';
import { HopObservers } from '../../model/hop-observers.js';
import { Projection } from '../../model/projection.decorator.js';
import {
  InjectProjectionRepository,
  ProjectionRepository,
} from '../../model/projection-repository.js';
import { UnitOfWorkManager } from '../../model/unit-of-work-manager.js';
import { ProteanModule } from '../protean.module.js';
import { ProjectorBatches } from './projector-batches.js';
import { EventStoreSubscription } from './event-store-subscription.js';
import { MemoryEventStore } from '../../adapters/memory/memory-event-store.js';
import { DATABASE } from '../../core/protean.tokens.js';
import type { Database } from '../../ports/database/database.port.js';
import type { RegisteredHandler } from '../../model/handler-registry.js';
import { DEFAULT_SUBSCRIPTION_SETTINGS } from '../../core/config/subscription-profiles.js';
import { eventually } from '../../operations/testing/eventually.js';

@Projection({ name: 'tally' })
class Tally {
  id!: string;
  count!: number;
}

@DomainEvent({ category: 'marker' })
class Marked {
  readonly markerId!: string;
}

@Aggregate()
class Marker extends AggregateRoot {
  mark(): void {
    this.raise(Object.assign(new Marked(), { markerId: this.id }));
  }
}

/** What the works of these tests do: count a tally up, or add a marker that raises an event. */
@Injectable()
class Effects {
  constructor(
    @InjectProjectionRepository(Tally) readonly tallies: ProjectionRepository<Tally>,
    @InjectAggregateRepository(Marker) readonly markers: AggregateRepository<Marker>,
  ) {}

  async count(id: string): Promise<void> {
    const tally = await this.tallies.find(id);
    await this.tallies.save({ id, count: (tally?.count ?? 0) + 1 });
  }

  mark(id: string): Promise<void> {
    const marker = Object.assign(new Marker(), { id });
    this.markers.add(marker);
    marker.mark();
    return Promise.resolve();
  }
}

const NO_RETRIES = { budgetMs: 0 };

/** What one delivery of a message does: counts its tally, fails after counting, or raises an event. */
type Behaviour = 'count' | 'fail' | 'raise';

/**
 * Turns of deliveries: each turn's messages start together, ids distinct within a turn. Half the
 * plans raise no events at all, so batching (which the first raised event turns off) is
 * exercised across every turn.
 */
const turns = fc.boolean().chain((raises) =>
  fc.array(
    fc.uniqueArray(
      fc.record({
        id: fc.integer({ min: 0, max: 11 }).map((n) => `p${n}`),
        behaviour: raises
          ? fc.constantFrom<Behaviour>('count', 'count', 'count', 'fail', 'raise')
          : fc.constantFrom<Behaviour>('count', 'count', 'count', 'fail'),
      }),
      { selector: ({ id }) => id, minLength: 1, maxLength: 8 },
    ),
    { minLength: 1, maxLength: 6 },
  ),
);

for (const provider of ['memory', 'postgresql'] as const) {
  describe(`ProjectorBatches on the ${provider} database`, () => {
    let db: TestDatabase | undefined;
    let app: TestingModule;
    let effects: Effects;
    let runner: HandlerRunner;
    let transactions: number;
    let committed: MessageEnvelope[];

    beforeAll(async () => {
      if (provider === 'postgresql') db = await createMigratedTestDatabase();
    });

    afterAll(() => db?.drop());

    beforeEach(async () => {
      const config = loadConfiguration({
        embedded: true,
        overrides: {
          databases: {
            default: db ? { provider, database_uri: db.uri, pool_size: 3 } : { provider },
          },
        },
      });
      app = await Test.createTestingModule({
        imports: [
          ProteanModule.forRoot({ domain: 'batches', config }),
          ProteanModule.forFeature({ aggregates: [Marker], projections: [Tally] }),
        ],
        providers: [Effects],
      })
        .setLogger(new CaptureLogger())
        .compile();
      await app.init();
      effects = app.get(Effects);
      runner = app.get(HandlerRunner);
      transactions = 0;
      app.get(HopObservers).add({ hop: (hop) => void (hop === 'transaction' && transactions++) });
      committed = [];
      app.get(UnitOfWorkManager).afterCommit(async (messages) => void committed.push(...messages));
    });

    afterEach(async () => {
      await app.close();
      await db?.query('TRUNCATE projections, aggregates, processed_messages');
    });

    const item = (messageId: string, work: () => Promise<unknown>): OnceWork => ({
      messageId,
      ids: { correlationId: 'corr', causationId: messageId },
      work,
    });
    const counting = (id: string) => item(id, () => effects.count(id));
    /** Starts every item in one turn, as the subscription's queue starts its messages. */
    const startTogether = (batches: ProjectorBatches, items: OnceWork[]) =>
      items.map((each) => batches.run(each, NO_RETRIES));
    const count = async (id: string) => (await effects.tallies.find(id))?.count;
    const ids = (n: number, prefix = 'm') => Array.from({ length: n }, (_, k) => `${prefix}${k}`);

    it('runs the messages started in one turn in one transaction, each at most once', async () => {
      const batches = new ProjectorBatches('TallyProjector', runner);
      const first = await Promise.all(startTogether(batches, ids(10).map(counting)));
      expect(first).toEqual(Array(10).fill(true));
      expect(transactions).toBe(1);

      // Redelivered, together with new ones: the processed records of the batch hold.
      const again = await Promise.all(startTogether(batches, ids(12).map(counting)));
      expect(again).toEqual([...Array(10).fill(false), true, true]);
      for (const id of ids(12)) await expect(count(id)).resolves.toBe(1);
    });

    it('rolls a batch with a failing message back and runs each alone: the others commit once, the failure is its own', async () => {
      const batches = new ProjectorBatches('TallyProjector', runner);
      const failure = new Error('poisoned message');
      const items = ids(6).map((id) =>
        id === 'm3'
          ? item(id, async () => {
              await effects.count(id);
              throw failure;
            })
          : counting(id),
      );
      const outcomes = await Promise.allSettled(startTogether(batches, items));

      expect(outcomes.map((outcome) => outcome.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      expect(outcomes[3]).toMatchObject({ reason: failure });
      for (const id of ['m0', 'm1', 'm2', 'm4', 'm5']) await expect(count(id)).resolves.toBe(1);
      await expect(count('m3')).resolves.toBeUndefined();
      // The failed message was not recorded as processed: its retry runs it.
      await expect(batches.run(counting('m3'), NO_RETRIES)).resolves.toBe(true);
      await expect(count('m3')).resolves.toBe(1);
    });

    it('runs a message that raises events alone, so its events carry its own causation, and stops batching', async () => {
      const batches = new ProjectorBatches('MarkingProjector', runner);
      const items = ids(4).map((id) => item(id, () => effects.mark(id)));
      await expect(Promise.all(startTogether(batches, items))).resolves.toEqual(
        Array(4).fill(true),
      );
      expect(
        committed.map((envelope) => [envelope.metadata.causationId, envelope.payload]).sort(),
      ).toEqual(ids(4).map((id) => [id, { markerId: id }]));

      transactions = 0;
      await Promise.all(startTogether(batches, ids(3, 'n').map(counting)));
      expect(transactions).toBe(3);
    });

    it('holds to one message per unit of work for any turns of successes, failures, redeliveries and raised events', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(turns, async (plan) => {
          // Each run a projector and message ids of its own: runs share the database.
          const prefix = `r${run++}-`;
          const batches = new ProjectorBatches(`Projector${prefix}`, runner);
          const processed = new Set<string>();
          committed = [];
          for (const turn of plan) {
            const failure = new Error('handler failed');
            const items = turn.map(({ id, behaviour }) =>
              item(prefix + id, async () => {
                if (behaviour === 'raise') return effects.mark(prefix + id);
                await effects.count(prefix + id);
                if (behaviour === 'fail') throw failure;
              }),
            );
            const outcomes = await Promise.allSettled(startTogether(batches, items));
            turn.forEach(({ id, behaviour }, index) => {
              // The model: a processed message runs no more; an unprocessed one runs once.
              const expected =
                processed.has(id) || behaviour !== 'fail'
                  ? { status: 'fulfilled', value: !processed.has(id) }
                  : { status: 'rejected', reason: failure };
              expect(outcomes[index]).toEqual(expected);
            });
            for (const { id, behaviour } of turn) if (behaviour !== 'fail') processed.add(id);
          }
          const ids = [...new Set(plan.flat().map(({ id }) => id))];
          for (const id of ids) {
            const counted = plan.flat().some((d) => d.id === id && d.behaviour === 'count');
            const firstToRun = plan.flat().find((d) => d.id === id && d.behaviour !== 'fail');
            // Counted once if a counting delivery was the one that ran; a failed one counts nothing.
            await expect(count(prefix + id)).resolves.toBe(
              counted && firstToRun?.behaviour === 'count' ? 1 : undefined,
            );
          }
          const raisedBy = ids.filter(
            (id) =>
              plan.flat().find((d) => d.id === id && d.behaviour !== 'fail')?.behaviour === 'raise',
          );
          expect(committed.map((envelope) => envelope.metadata.causationId).sort()).toEqual(
            raisedBy.map((id) => prefix + id).sort(),
          );
        }),
        { numRuns: provider === 'memory' ? 150 : 40 },
      );
    });

    describe('on an event_store subscription', () => {
      class Counted {
        readonly tallyId!: string;
        readonly fail?: boolean;
      }
      const envelope = (position: number, tallyId: string, fail = false) =>
        ({
          id: `es-${tallyId}`,
          type: 'batches.Counted.v1',
          stream: `batches::tally-${tallyId}`,
          kind: 'EVENT',
          payload: { tallyId, fail },
          metadata: {
            correlationId: `c${position}`,
            causationId: `c${position}`,
            time: new Date().toISOString(),
            version: 1,
            headers: {},
          },
        }) as MessageEnvelope;
      const projector = {
        name: 'TallyProjector',
        kind: 'projector',
        streams: ['batches::tally'],
        routes: new Map([
          [
            'batches.Counted.v1',
            {
              messageClass: Counted,
              invoke: async (message: object) => {
                const { tallyId, fail } = message as Counted;
                await effects.count(tallyId);
                if (fail) throw new Error(`tally ${tallyId} failed`);
              },
            },
          ],
        ]),
      } as unknown as RegisteredHandler;

      async function runOver(envelopes: MessageEnvelope[], until: () => Promise<boolean>) {
        const store = new MemoryEventStore();
        await store.append(envelopes);
        const subscription = new EventStoreSubscription(
          projector,
          store,
          app.get<Database>(DATABASE),
          runner,
          {
            ...DEFAULT_SUBSCRIPTION_SETTINGS,
            subscription_type: 'event_store',
            subscription_profile: null,
            messages_per_tick: 10,
            max_retries: 1,
            retry_delay_seconds: 0,
          },
        );
        await subscription.start();
        try {
          await eventually(until, { timeoutMs: 10_000, intervalMs: 5, what: 'the events handled' });
        } finally {
          subscription.stopReading();
          await subscription.drain(Date.now() + 2000);
        }
      }

      it("runs a projector's read in one unit of work", async () => {
        const tallies = ids(6, 'es');
        await runOver(
          tallies.map((id, n) => envelope(n + 1, id)),
          async () => (await count('es5')) === 1,
        );
        for (const id of tallies) await expect(count(id)).resolves.toBe(1);
        expect(transactions).toBe(1);
      });

      it('delivers a read one event at a time when one of them fails: the others count once', async () => {
        const tallies = ids(5, 'ef');
        await runOver(
          tallies.map((id, n) => envelope(n + 1, id, id === 'ef2')),
          async () => (await count('ef4')) === 1,
        );
        for (const id of ['ef0', 'ef1', 'ef3', 'ef4']) await expect(count(id)).resolves.toBe(1);
        await expect(count('ef2')).resolves.toBeUndefined();
        expect(transactions).toBe(4); // the batch rolled back; four events committed alone
      });
    });

    it('runs each message of a batch in its own correlation context', async () => {
      const batches = new ProjectorBatches('TallyProjector', runner);
      const seen: Array<string | undefined> = [];
      const items = ids(5).map((id) =>
        item(id, async () => {
          await effects.count(id);
          seen.push(CorrelationContext.current()?.messageId);
        }),
      );
      await Promise.all(startTogether(batches, items));
      expect(seen).toEqual(ids(5));
      expect(transactions).toBe(1);
    });
  });
}
