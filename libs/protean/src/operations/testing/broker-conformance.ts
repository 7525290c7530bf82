import {
  deadLettersOf,
  hasDeadLetters,
  hasPendingEntries,
} from '../../ports/broker/broker-roles.js';
import type {
  DeadLetter,
  Broker,
  BrokerCapabilities,
  DeadLetters,
  PendingEntries,
  StreamBroker,
} from '../../ports/broker/broker.port.js';
import { BrokerClosedError } from '../../ports/broker/broker-closed.error.js';
import { DeadLetterNotReplayableError } from '../../ports/broker/dead-letter-not-replayable.error.js';
import { PayloadTooLargeError } from '../../ports/broker/payload-too-large.error.js';
import { UnsupportedBrokerOperationError } from '../../ports/broker/unsupported-broker-operation.error.js';
import { compareStreamIds, streamIdTimeMs } from '../../ports/broker/stream-id.js';
import type { BrokerConfig } from '../../core/config/config.schema.js';
import { eventually, within } from './eventually.js';
import { readUntil } from './read-until.js';
import { uniqueName } from './unique-name.js';

/** Where a dead letter stands in a listing: its DLQ entry id and its stream. */
type Letterhead = { readonly id: string; readonly stream: string };

/**
 * What the suite needs to know about one adapter: a {@link Broker}, plus the roles its
 * capabilities promise ({@link PendingEntries} for `acknowledgements`, {@link DeadLetters} for
 * `deadLetters`). The tests of a role run only against an adapter that claims it.
 */
export interface ConformanceTarget {
  /** A fresh broker; `overrides` replace keys of the adapter's base configuration. */
  create(overrides?: Partial<BrokerConfig>): Broker;
  /** Removes the streams (and their DLQs) a test created; nothing else. */
  cleanup?(streams: readonly string[]): Promise<void>;
}

const PROVENANCE = {
  originalId: '1-0',
  group: 'Handler',
  consumer: 'worker-1',
  error: 'boom',
  attempts: 3,
  failedAt: '2025-01-01T00:00:00.000Z',
};

const PENDING_ENTRIES: (keyof PendingEntries)[] = [
  'ack',
  'reclaim',
  'claim',
  'touch',
  'deliveryCount',
];
const DEAD_LETTERS: (keyof DeadLetters)[] = [
  'deadLetter',
  'listDeadLetters',
  'inspectDeadLetter',
  'replayDeadLetter',
  'purgeDeadLetters',
  'removeDeadLetters',
];

/**
 * The one behaviour every broker adapter must show, role by role. Expectations that depend on
 * what a broker can do are gated by its capabilities: an adapter is tested for the roles it
 * claims, and for the clear refusal of those it lacks; nothing is skipped.
 */
export function describeBrokerConformance(label: string, target: ConformanceTarget): void {
  const capabilities: BrokerCapabilities = (() => {
    const probe = target.create();
    void probe.close();
    return probe.capabilities;
  })();
  // A test that does not apply to this adapter is not registered (rather than reported skipped).
  const notApplicable = (() => undefined) as unknown as typeof it;
  const when = (capability: keyof BrokerCapabilities) =>
    capabilities[capability] ? it : notApplicable;
  const unless = (capability: keyof BrokerCapabilities) =>
    capabilities[capability] ? notApplicable : it;

  describe(`broker conformance: ${label}`, () => {
    let opened: Broker[] = [];
    let streams: string[] = [];
    // Seen with every role: the tests of a role run only where the capabilities promise it.
    let broker: StreamBroker;

    const open = (overrides?: Partial<BrokerConfig>): StreamBroker => {
      const created = target.create(overrides);
      opened.push(created);
      return created as StreamBroker;
    };
    const newStream = (): string => {
      const name = uniqueName('conformance');
      streams.push(name);
      return name;
    };
    const json = (n: number) => JSON.stringify({ n });

    beforeEach(() => {
      broker = open();
    });

    afterEach(async () => {
      await Promise.all(opened.map((b) => b.close()));
      await target.cleanup?.(streams);
      opened = [];
      streams = [];
    });

    it('declares every capability as a boolean', () => {
      const keys: (keyof BrokerCapabilities)[] = [
        'durable',
        'consumerGroups',
        'acknowledgements',
        'blockingRead',
        'deadLetters',
        'replay',
        'ordering',
      ];
      for (const key of keys) expect(typeof broker.capabilities[key]).toBe('boolean');
    });

    it('implements every role its capabilities promise', () => {
      const methods = [
        ...(capabilities.acknowledgements ? PENDING_ENTRIES : []),
        ...(capabilities.deadLetters ? DEAD_LETTERS : []),
      ];
      for (const method of methods) expect(typeof broker[method]).toBe('function');
      expect(hasPendingEntries(broker)).toBe(capabilities.acknowledgements);
      expect(hasDeadLetters(broker)).toBe(capabilities.deadLetters);
    });

    it('answers ping', async () => {
      await expect(broker.ping()).resolves.toBeUndefined();
    });

    it('delivers published messages with their data and a delivery count of 1', async () => {
      const stream = newStream();
      await broker.ensureGroup(stream, 'G');
      const ids = await broker.publishBatch([1, 2, 3].map((n) => ({ stream, data: json(n) })));
      expect(ids).toHaveLength(3);
      expect(new Set(ids).size).toBe(3);

      const received = await readUntil(broker, stream, 'G', 'c1', 3);
      expect(received.map((m) => m.data)).toEqual([json(1), json(2), json(3)]);
      expect(received.every((m) => m.stream === stream && m.deliveryCount === 1)).toBe(true);
    });

    when('ordering')('returns ids in publish order', async () => {
      const stream = newStream();
      const ids = await broker.publishBatch([1, 2, 3, 4].map((n) => ({ stream, data: json(n) })));
      ids.push(await broker.publish({ stream, data: json(5) }));
      for (let i = 1; i < ids.length; i++) {
        expect(compareStreamIds(ids[i - 1], ids[i])).toBeLessThan(0);
      }
    });

    it('resolves an empty batch to no ids', async () => {
      await expect(broker.publishBatch([])).resolves.toEqual([]);
    });

    it('refuses a message over max_payload_bytes and publishes none of its batch', async () => {
      const limited = open({ max_payload_bytes: 1024 });
      const stream = newStream();
      await limited.ensureGroup(stream, 'G');
      const big = JSON.stringify({ text: 'x'.repeat(2000) });

      const attempt = limited.publishBatch([
        { stream, data: json(1) },
        { stream, data: big },
      ]);
      await expect(attempt).rejects.toThrow(PayloadTooLargeError);
      await expect(limited.publish({ stream, data: big })).rejects.toThrow(
        /is 2011 bytes, over the 1024-byte limit .*max_payload_bytes/,
      );

      await limited.publish({ stream, data: json(2) });
      const [first] = await readUntil(limited, stream, 'G', 'c1', 1);
      expect(first.data).toBe(json(2));
    });

    when('blockingRead')('wakes a blocked read as soon as a message is published', async () => {
      const stream = newStream();
      await broker.ensureGroup(stream, 'G');
      // Blocks far longer than the test may run: only a wake-up can make it pass.
      const reading = broker.read(stream, 'G', 'c1', { count: 10, blockMs: 20_000 });
      await broker.publish({ stream, data: json(1) });
      const received = await within(reading, 4000, 'the blocked read');
      expect(received.map((m) => m.data)).toEqual([json(1)]);
    });

    it('returns nothing after blockMs when there is nothing, and at once for blockMs 0', async () => {
      const stream = newStream();
      await broker.ensureGroup(stream, 'G');
      await expect(broker.read(stream, 'G', 'c1', { count: 5, blockMs: 50 })).resolves.toEqual([]);
      await expect(broker.read(stream, 'G', 'c1', { count: 5, blockMs: 0 })).resolves.toEqual([]);
    });

    it('returns at most count messages per read', async () => {
      const stream = newStream();
      await broker.ensureGroup(stream, 'G');
      await broker.publishBatch([1, 2, 3, 4, 5].map((n) => ({ stream, data: json(n) })));
      const first = await readUntil(broker, stream, 'G', 'c1', 2);
      expect(first).toHaveLength(2);
      const rest = await readUntil(broker, stream, 'G', 'c1', 3);
      expect([...first, ...rest].map((m) => m.data)).toEqual([1, 2, 3, 4, 5].map(json));
    });

    when('consumerGroups')(
      'gives every group every message and shares a group between its consumers',
      async () => {
        const stream = newStream();
        await broker.ensureGroup(stream, 'A');
        await broker.ensureGroup(stream, 'B');
        await broker.publishBatch([1, 2, 3, 4].map((n) => ({ stream, data: json(n) })));

        const first = await broker.read(stream, 'A', 'a1', { count: 2, blockMs: 0 });
        const second = await broker.read(stream, 'A', 'a2', { count: 10, blockMs: 0 });
        expect(first.map((m) => m.data)).toEqual([json(1), json(2)]);
        expect(second.map((m) => m.data)).toEqual([json(3), json(4)]);

        const everything = await broker.read(stream, 'B', 'b1', { count: 10, blockMs: 0 });
        expect(everything.map((m) => m.data)).toEqual([1, 2, 3, 4].map(json));
      },
    );

    when('replay')('starts a group at 0 with history, at $ with new messages only', async () => {
      const stream = newStream();
      await broker.publishBatch([1, 2].map((n) => ({ stream, data: json(n) })));
      await broker.ensureGroup(stream, 'FromStart', '0');
      await broker.ensureGroup(stream, 'FromNow', '$');
      await broker.publish({ stream, data: json(3) });

      const fromStart = await broker.read(stream, 'FromStart', 'c', { count: 10, blockMs: 0 });
      const fromNow = await broker.read(stream, 'FromNow', 'c', { count: 10, blockMs: 0 });
      expect(fromStart.map((m) => m.data)).toEqual([1, 2, 3].map(json));
      expect(fromNow.map((m) => m.data)).toEqual([json(3)]);
    });

    when('replay')('creates a missing group from 0 when it is read', async () => {
      const stream = newStream();
      await broker.publishBatch([1, 2].map((n) => ({ stream, data: json(n) })));
      const received = await broker.read(stream, 'Late', 'c', { count: 10, blockMs: 0 });
      expect(received.map((m) => m.data)).toEqual([json(1), json(2)]);
    });

    when('consumerGroups')('leaves an existing group where it is', async () => {
      const stream = newStream();
      await broker.ensureGroup(stream, 'G', '0');
      await broker.publishBatch([1, 2].map((n) => ({ stream, data: json(n) })));
      await broker.ensureGroup(stream, 'G', '$');
      const received = await broker.read(stream, 'G', 'c', { count: 10, blockMs: 0 });
      expect(received).toHaveLength(2);
    });

    when('acknowledgements')('keeps entries pending until acknowledged', async () => {
      const stream = newStream();
      await broker.ensureGroup(stream, 'G');
      await broker.publishBatch([1, 2, 3].map((n) => ({ stream, data: json(n) })));
      const [a, b, c] = await broker.read(stream, 'G', 'c1', { count: 10, blockMs: 0 });
      expect(await broker.deliveryCount(stream, 'G', a.id)).toBe(1);

      expect(await broker.ack(stream, 'G', [a.id, b.id])).toBe(2);
      expect(await broker.ack(stream, 'G', [a.id])).toBe(0);
      expect(await broker.ack(stream, 'G', [])).toBe(0);
      expect(await broker.deliveryCount(stream, 'G', a.id)).toBe(0);
      expect(await broker.deliveryCount(stream, 'G', c.id)).toBe(1);

      const info = await broker.streamInfo(stream);
      expect(info.groups.find((g) => g.name === 'G')?.pending).toBe(1);
    });

    when('acknowledgements')(
      'hands idle unacknowledged entries to another consumer with their delivery count raised',
      async () => {
        const stream = newStream();
        await broker.ensureGroup(stream, 'G');
        await broker.publishBatch([1, 2, 3].map((n) => ({ stream, data: json(n) })));
        const delivered = await broker.read(stream, 'G', 'dead', { count: 10, blockMs: 0 });
        await broker.ack(stream, 'G', [delivered[0].id]);

        const tooEarly = await broker.reclaim(stream, 'G', 'alive', {
          minIdleMs: 60_000,
          count: 10,
        });
        expect(tooEarly).toEqual([]);

        const reclaimed = await eventually(
          async () => {
            const batch = await broker.reclaim(stream, 'G', 'alive', { minIdleMs: 30, count: 10 });
            return batch.length ? batch : undefined;
          },
          { what: 'reclaim' },
        );
        expect(reclaimed.map((m) => m.data)).toEqual([json(2), json(3)]);
        expect(reclaimed.map((m) => m.deliveryCount)).toEqual([2, 2]);
        expect(await broker.deliveryCount(stream, 'G', reclaimed[0].id)).toBe(2);
        expect(
          await broker.ack(
            stream,
            'G',
            reclaimed.map((m) => m.id),
          ),
        ).toBe(2);
      },
    );

    when('acknowledgements')(
      'claims named pending entries for a retry, raising their delivery count, and never acknowledged ones',
      async () => {
        const stream = newStream();
        await broker.ensureGroup(stream, 'G');
        await broker.publishBatch([1, 2].map((n) => ({ stream, data: json(n) })));
        const [first, second] = await broker.read(stream, 'G', 'worker', { count: 10, blockMs: 0 });
        await broker.ack(stream, 'G', [second.id]);

        const claimed = await broker.claim(stream, 'G', 'worker', [first.id, second.id]);
        expect(claimed).toEqual([{ id: first.id, stream, data: json(1), deliveryCount: 2 }]);
        expect(await broker.claim(stream, 'G', 'other', [first.id], 60_000)).toEqual([]);
        expect(await broker.deliveryCount(stream, 'G', first.id)).toBe(2);
        expect(await broker.claim(stream, 'unknown-group', 'worker', [first.id])).toEqual([]);
      },
    );

    when('acknowledgements')(
      'keeps an entry it holds from going idle without raising its delivery count, and leaves others alone',
      async () => {
        const stream = newStream();
        await broker.ensureGroup(stream, 'G');
        await broker.publishBatch([1, 2, 3].map((n) => ({ stream, data: json(n) })));
        const [held, lost, done] = await broker.read(stream, 'G', 'worker', {
          count: 10,
          blockMs: 0,
        });
        await broker.ack(stream, 'G', [done.id]);
        // `lost` is taken over by another consumer (as after a pause past min_idle_ms).
        await eventually(
          async () => (await broker.claim(stream, 'G', 'other', [lost.id], 20)).length === 1,
          { what: 'the take-over' },
        );
        await new Promise((resolve) => setTimeout(resolve, 150));

        const touched = await broker.touch(stream, 'G', 'worker', [held.id, lost.id, done.id]);
        expect(touched).toEqual([held.id]);
        // Idle for less than 100 ms now: not reclaimable, and not counted as a new delivery.
        expect(await broker.reclaim(stream, 'G', 'thief', { minIdleMs: 100, count: 10 })).toEqual([
          expect.objectContaining({ id: lost.id }),
        ]);
        expect(await broker.deliveryCount(stream, 'G', held.id)).toBe(1);
        expect(await broker.touch(stream, 'unknown-group', 'worker', [held.id])).toEqual([]);
        expect(await broker.touch(stream, 'G', 'worker', [])).toEqual([]);
      },
    );

    unless('acknowledgements')(
      'keeps nothing pending: a message read is gone without an acknowledgement',
      async () => {
        const stream = newStream();
        await broker.ensureGroup(stream, 'G');
        await broker.publish({ stream, data: json(1) });
        expect((await readUntil(broker, stream, 'G', 'c1', 1)).map((m) => m.data)).toEqual([
          json(1),
        ]);
        await expect(broker.read(stream, 'G', 'c2', { count: 10, blockMs: 0 })).resolves.toEqual(
          [],
        );
        expect((await broker.streamInfo(stream)).groups[0]?.pending ?? 0).toBe(0);
      },
    );

    when('deadLetters')(
      'writes, lists, inspects, replays and purges dead letters on <stream>:dlq',
      async () => {
        const stream = newStream();
        const first = await broker.deadLetter(stream, json(1), PROVENANCE);
        const second = await broker.deadLetter(stream, json(2), { ...PROVENANCE, attempts: 5 });

        const listed = await broker.listDeadLetters(stream);
        expect(listed.map((l) => l.id)).toEqual([first, second]);
        expect(listed[0]).toEqual({ id: first, stream, data: json(1), provenance: PROVENANCE });
        expect(listed[1].provenance.attempts).toBe(5);
        expect((await broker.listDeadLetters(stream, 1)).map((l) => l.id)).toEqual([first]);

        const everywhere = await broker.listDeadLetters(undefined, 100_000);
        expect(everywhere.map((l) => l.id)).toEqual(expect.arrayContaining([first, second]));
        expect(await broker.inspectDeadLetter(first, stream)).toEqual(listed[0]);
        expect(await broker.inspectDeadLetter('1-1', stream)).toBeUndefined();
        expect(await broker.inspectDeadLetter('not-an-id')).toBeUndefined();
        // Beyond Redis's unsigned 64-bit id parts: no such letter, not a broker failure.
        expect(await broker.inspectDeadLetter('99999999999999999999999-0', stream)).toBeUndefined();
        expect(await broker.replayDeadLetter('not-an-id', stream)).toBe(false);

        await broker.ensureGroup(stream, 'G', '$');
        expect(await broker.replayDeadLetter(first, stream)).toBe(true);
        expect(await broker.replayDeadLetter(first, stream)).toBe(false);
        const replayed = await broker.read(stream, 'G', 'c', { count: 10, blockMs: 0 });
        expect(replayed.map((m) => m.data)).toEqual([json(1)]);
        expect((await broker.listDeadLetters(stream)).map((l) => l.id)).toEqual([second]);

        expect(await broker.purgeDeadLetters(stream)).toBe(1);
        expect(await broker.listDeadLetters(stream)).toEqual([]);
      },
    );

    when('deadLetters')(
      'pages through the dead letters of every stream in one order, within a time range, and removes chosen ones',
      async () => {
        const [one, two] = [newStream(), newStream()].sort();
        const written: Letterhead[] = [];
        for (let n = 0; n < 6; n++) {
          const stream = n % 2 === 0 ? one : two;
          written.push({ id: await broker.deadLetter(stream, json(n), PROVENANCE), stream });
        }
        const mine = (letters: DeadLetter[]) =>
          letters.filter((l) => l.stream === one || l.stream === two);
        // The listing's order as the port documents it — by id, then stream (each stream numbers
        // its own entries) — written out here, apart from the comparator the adapters sort with.
        const listingOrder = (a: Letterhead, b: Letterhead) =>
          compareStreamIds(a.id, b.id) || (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0);
        const inOrder = [...written.entries()]
          .sort(([, a], [, b]) => listingOrder(a, b))
          .map(([n]) => json(n));
        const all = mine(await broker.listDeadLetters(undefined, 100_000));
        expect(all.map((l) => l.data)).toEqual(inOrder);

        // Page by page over every stream, each page going on after the last letter of the one
        // before (letters of other streams, older ones left out by the range, come between).
        const paged: DeadLetter[] = [];
        let after: Letterhead | undefined;
        for (let page = 0; page < 500; page++) {
          const letters = await broker.listDeadLetters(undefined, 2, {
            after,
            sinceMs: Math.min(...written.map((w) => streamIdTimeMs(w.id))),
          });
          if (letters.length === 0) break;
          paged.push(...letters);
          after = { id: letters.at(-1)!.id, stream: letters.at(-1)!.stream };
        }
        expect(mine(paged).map((l) => l.data)).toEqual(inOrder);
        for (let n = 1; n < paged.length; n++) {
          const [a, b] = [paged[n - 1], paged[n]];
          expect(listingOrder(a, b)).toBeLessThan(0);
        }
        // Of one stream, after a letter of another: by the same order.
        const rest = await broker.listDeadLetters(one, 100, { after: written[1] });
        expect(rest.map((l) => l.id)).toEqual(
          written
            .filter((w) => w.stream === one && listingOrder(w, written[1]) > 0)
            .map((w) => w.id),
        );

        // A time range by when the letters reached their DLQ (their ids' time).
        const since = streamIdTimeMs(written[3].id);
        const ranged = await broker.listDeadLetters(two, 100, { sinceMs: since, untilMs: since });
        expect(ranged.map((l) => l.id)).toContain(written[3].id);
        expect(ranged.every((l) => streamIdTimeMs(l.id) === since)).toBe(true);
        expect(
          await broker.listDeadLetters(two, 100, { untilMs: streamIdTimeMs(written[1].id) - 1 }),
        ).toEqual([]);

        expect(
          await broker.removeDeadLetters(one, [written[0].id, written[2].id, 'not-an-id', '1-1']),
        ).toBe(2);
        expect((await broker.listDeadLetters(one)).map((l) => l.id)).toEqual([written[4].id]);
        expect(await broker.removeDeadLetters(one, [written[0].id])).toBe(0);
        expect(await broker.removeDeadLetters(two, [])).toBe(0);
      },
    );

    when('deadLetters')('keeps a dead letter without data and refuses to replay it', async () => {
      const stream = newStream();
      const id = await broker.deadLetter(stream, undefined, PROVENANCE);
      expect((await broker.inspectDeadLetter(id, stream))?.data).toBeUndefined();
      await expect(broker.replayDeadLetter(id, stream)).rejects.toThrow(
        DeadLetterNotReplayableError,
      );
    });

    unless('deadLetters')(
      'refuses every dead-letter operation, naming the capability',
      async () => {
        const operations = ['write', 'list', 'inspect', 'replay', 'purge'];
        for (const operation of operations) {
          const attempt = () => deadLettersOf(broker, `${operation} dead letters`);
          expect(attempt).toThrow(UnsupportedBrokerOperationError);
          expect(attempt).toThrow(
            `Broker "${broker.name}" (${broker.provider}) cannot ${operation} dead letters: ` +
              `it lacks the "deadLetters" capability`,
          );
        }
      },
    );

    when('replay')(
      'trims to max_stream_length without dropping unacknowledged or undelivered entries',
      async () => {
        const trimmed = open({ max_stream_length: 10 });
        const stream = newStream();
        await trimmed.ensureGroup(stream, 'G', '0');
        await trimmed.publishBatch(
          Array.from({ length: 250 }, (_, n) => ({ stream, data: json(n) })),
        );
        const delivered = await trimmed.read(stream, 'G', 'c', { count: 250, blockMs: 0 });
        expect(delivered).toHaveLength(250);
        await trimmed.ack(
          stream,
          'G',
          delivered.slice(0, 200).map((m) => m.id),
        );

        expect(await trimmed.trim(stream)).toBeGreaterThan(0);
        const left = await trimmed.read(stream, 'Audit', 'c', { count: 1000, blockMs: 0 });
        expect(left.length).toBeLessThan(250);
        const pendingIds = delivered.slice(200).map((m) => m.id);
        expect(left.map((m) => m.id)).toEqual(expect.arrayContaining(pendingIds));
      },
    );

    when('replay')(
      'trims to an explicit length, even on a broker without max_stream_length',
      async () => {
        const stream = newStream();
        await broker.ensureGroup(stream, 'G', '0');
        await broker.publishBatch(
          Array.from({ length: 250 }, (_, n) => ({ stream, data: json(n) })),
        );
        const delivered = await broker.read(stream, 'G', 'c', { count: 250, blockMs: 0 });
        await broker.ack(
          stream,
          'G',
          delivered.map((m) => m.id),
        );

        expect(await broker.trim(stream)).toBe(0);
        expect(await broker.trim(stream, 20)).toBeGreaterThan(0);
        const { length } = await broker.streamInfo(stream);
        expect(length).toBeLessThan(250);
        expect(length).toBeGreaterThanOrEqual(20);
      },
    );

    when('replay')('does not trim entries a group has not received yet', async () => {
      const trimmed = open({ max_stream_length: 10 });
      const stream = newStream();
      await trimmed.ensureGroup(stream, 'Slow', '$');
      await trimmed.publishBatch(
        Array.from({ length: 250 }, (_, n) => ({ stream, data: json(n) })),
      );
      expect(await trimmed.trim(stream)).toBe(0);
      expect((await trimmed.streamInfo(stream)).length).toBe(250);
    });

    when('replay')('trims by itself after publishing', async () => {
      const trimmed = open({ max_stream_length: 10 });
      const stream = newStream();
      await trimmed.ensureGroup(stream, 'G', '0');
      await trimmed.publishBatch(
        Array.from({ length: 300 }, (_, n) => ({ stream, data: json(n) })),
      );
      const delivered = await trimmed.read(stream, 'G', 'c', { count: 300, blockMs: 0 });
      await trimmed.ack(
        stream,
        'G',
        delivered.map((m) => m.id),
      );
      await trimmed.publish({ stream, data: json(300) });
      await eventually(async () => (await trimmed.streamInfo(stream)).length < 301, {
        what: 'automatic trimming',
      });
    });

    unless('replay')('has nothing to trim', async () => {
      await expect(broker.trim(newStream())).resolves.toBe(0);
    });

    it('describes an unknown stream as empty', async () => {
      await expect(broker.streamInfo(newStream())).resolves.toMatchObject({
        length: 0,
        groups: [],
      });
    });

    when('consumerGroups')('describes length, groups, pending and lag', async () => {
      const stream = newStream();
      await broker.ensureGroup(stream, 'G');
      await broker.publishBatch([1, 2, 3].map((n) => ({ stream, data: json(n) })));
      const [first] = await broker.read(stream, 'G', 'c1', { count: 1, blockMs: 0 });
      const info = await broker.streamInfo(stream);
      expect(info.stream).toBe(stream);
      expect(info.length).toBe(3);
      expect(info.groups).toEqual([
        expect.objectContaining({
          name: 'G',
          pending: 1,
          lag: 2,
          consumers: 1,
          lastDeliveredId: first.id,
        }),
      ]);
      // Entries read tell, with pending, how many the group finished (the Observatory's count);
      // a Pub/Sub broker keeps no such count.
      expect(info.groups[0].entriesRead).toBe(capabilities.acknowledgements ? 1 : undefined);
    });

    it('releases a blocked read on close and refuses work afterwards', async () => {
      const closing = open();
      const stream = newStream();
      await closing.ensureGroup(stream, 'G');
      const reading = closing.read(stream, 'G', 'c', { count: 1, blockMs: 20_000 });
      await closing.close();
      await within(
        reading.catch(() => []),
        4000,
        'the read blocked while closing',
      );
      await expect(closing.publish({ stream, data: json(1) })).rejects.toThrow(BrokerClosedError);
      await expect(closing.close()).resolves.toBeUndefined();
    });
  });
}
