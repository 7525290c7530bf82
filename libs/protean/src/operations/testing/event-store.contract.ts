import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../ports/event-store/event-store.port.js';
import type { MessageEnvelope } from '../../core/messages/message-envelope.js';
import { eventually } from './eventually.js';

/**
 * `readAll` once `count` events are visible. PostgreSQL holds back events while any older
 * transaction of the cluster is in flight (other tests' load, on a shared server), so what was
 * committed shows up soon, not necessarily at once.
 */
function readAllOnce(store: EventStore, from: number, limit: number, count: number) {
  return eventually(
    async () => {
      const events = await store.readAll(from, limit);
      return events.length >= count ? events : undefined;
    },
    { timeoutMs: 10_000, intervalMs: 50, what: `${count} events visible to readAll` },
  );
}

/** An event envelope as the envelope factory makes them. */
export function eventEnvelope(
  stream: string,
  payload: Record<string, unknown> = {},
): MessageEnvelope {
  const id = randomUUID();
  return {
    id,
    type: 'test.Happened.v1',
    stream,
    kind: 'EVENT',
    payload,
    metadata: {
      correlationId: id,
      causationId: id,
      time: new Date().toISOString(),
      version: 1,
      headers: {},
    },
  };
}

/** The behaviour every event store adapter must show, run against `memory` and `postgresql`. */
export function describeEventStoreContract(
  provider: string,
  open: () => Promise<{ store: EventStore; close(): Promise<void> }>,
): void {
  describe(`event store contract: ${provider}`, () => {
    let store: EventStore;
    let close: () => Promise<void>;

    beforeEach(async () => {
      ({ store, close } = await open());
    });

    afterEach(() => close());

    it('numbers events per stream from 1 and over all streams in append order', async () => {
      const a1 = eventEnvelope('test::thing-a', { n: 1 });
      const b1 = eventEnvelope('test::thing-b', { n: 2 });
      const a2 = eventEnvelope('test::thing-a', { n: 3, nested: { list: [1, 'two'] } });
      await store.append([a1, b1]);
      await store.append([a2]);

      const stream = await store.readStream('test::thing-a');
      expect(stream.map((event) => [event.streamPosition, event.envelope])).toEqual([
        [1, a1],
        [2, a2],
      ]);
      const all = await readAllOnce(store, 0, 10, 3);
      expect(all.map((event) => event.envelope.id)).toEqual([a1.id, b1.id, a2.id]);
      const positions = all.map((event) => event.globalPosition);
      expect([...positions].sort((x, y) => x - y)).toEqual(positions);
      expect(new Set(positions).size).toBe(3);
    });

    it('reads all from a position, at most `limit` events', async () => {
      const events = [1, 2, 3, 4].map((n) => eventEnvelope('test::thing-c', { n }));
      await store.append(events);
      const [first, second] = await readAllOnce(store, 0, 2, 2);
      expect([first.envelope.id, second.envelope.id]).toEqual([events[0].id, events[1].id]);
      const rest = await readAllOnce(store, second.globalPosition, 10, 2);
      expect(rest.map((event) => event.envelope.id)).toEqual([events[2].id, events[3].id]);
    });

    it('gives concurrent appenders of one stream distinct, gapless positions', async () => {
      await Promise.all(
        Array.from({ length: 12 }, (_, n) => store.append([eventEnvelope('test::thing-d', { n })])),
      );
      const positions = (await store.readStream('test::thing-d')).map((e) => e.streamPosition);
      expect(positions).toEqual(Array.from({ length: 12 }, (_, n) => n + 1));
    });

    it('keeps async commands on their own streams: read back as commands, never in an aggregate stream', async () => {
      const event = eventEnvelope('test::thing-e', { n: 1 });
      const command: MessageEnvelope = {
        ...eventEnvelope('test::thing:command-e', { n: 2 }),
        type: 'test.Do.v1',
        kind: 'COMMAND',
      };
      await store.append([command, event]);

      const aggregate = await store.readStream('test::thing-e');
      expect(aggregate.map((stored) => [stored.streamPosition, stored.envelope])).toEqual([
        [1, event],
      ]);
      const all = await readAllOnce(store, 0, 10, 2);
      expect(all.map((stored) => stored.envelope)).toEqual([command, event]);
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
