import type { Database } from '../../ports/database/database.port.js';
import { serializeEnvelope } from '../../core/messages/envelope-codec.js';
import type { MessageEnvelope } from '../../core/messages/message-envelope.js';
import type { ClaimedMessage, OutboxStore } from '../../ports/outbox/outbox-store.port.js';
import { eventEnvelope } from './event-store.contract.js';

/** An outbox store on a fresh database, and a way to make time pass for it. */
export interface OutboxStoreUnderTest {
  readonly database: Database;
  readonly store: OutboxStore;
  /** Moves the store's clock forward (memory) or its rows' timestamps back (PostgreSQL). */
  elapse(seconds: number): Promise<void>;
  close(): Promise<void>;
}

const LEASE = 30;
const ids = (claimed: readonly ClaimedMessage[]) => claimed.map((message) => message.messageId);

/** The behaviour every outbox store must show, run against `memory` and `postgresql`. */
export function describeOutboxStoreContract(
  provider: string,
  open: () => Promise<OutboxStoreUnderTest>,
): void {
  describe(`outbox store contract: ${provider}`, () => {
    let subject: OutboxStoreUnderTest;
    let store: OutboxStore;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });

    afterEach(() => subject.close());

    async function write(...envelopes: MessageEnvelope[]): Promise<MessageEnvelope[]> {
      await subject.database.transaction((session) => store.append(session, envelopes));
      return envelopes;
    }

    it('keeps rows of a committed unit of work and none of a rolled-back one', async () => {
      const [kept] = await write(eventEnvelope('t::book-1', { title: 'Dune', price: 9.99 }));
      await expect(
        subject.database.transaction(async (session) => {
          await store.append(session, [eventEnvelope('t::book-2')]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');

      const claimed = await store.claim('p1', 10, LEASE);
      expect(claimed).toEqual([
        {
          id: expect.any(Number),
          messageId: kept.id,
          stream: 't::book-1',
          data: serializeEnvelope(kept),
          retryCount: 0,
          createdAt: expect.any(Number),
        },
      ]);
      expect((await store.stats()).counts).toEqual({
        pending: 0,
        processing: 1,
        published: 0,
        failed: 0,
        abandoned: 0,
      });
    });

    it('tells when each claimed row was written, in ms on the store clock', async () => {
      await write(eventEnvelope('t::book-1'));
      await subject.elapse(5);
      await write(eventEnvelope('t::book-2'));
      const [first, second] = await store.claim('p1', 10, LEASE);
      // Five seconds apart, give or take the time the second write took.
      expect(second.createdAt - first.createdAt).toBeGreaterThanOrEqual(5000);
      expect(second.createdAt - first.createdAt).toBeLessThan(6000);
    });

    it('claims the oldest rows first, each for one owner until published', async () => {
      const written = await write(
        eventEnvelope('t::book-1'),
        eventEnvelope('t::book-2'),
        eventEnvelope('t::book-3'),
      );
      const first = await store.claim('p1', 2, LEASE);
      expect(ids(first)).toEqual([written[0].id, written[1].id]);
      expect(first[0].id).toBeLessThan(first[1].id);
      expect(ids(await store.claim('p2', 10, LEASE))).toEqual([written[2].id]);
      await expect(store.claim('p3', 10, LEASE)).resolves.toEqual([]);

      await expect(store.markPublished('p1', [first[0].id, first[1].id])).resolves.toBe(2);
      await expect(store.claim('p3', 10, LEASE)).resolves.toEqual([]);
      expect((await store.stats()).counts).toMatchObject({ published: 2, processing: 1 });
    });

    it('takes over a row whose lease expired; the first owner can no longer mark it', async () => {
      const [message] = await write(eventEnvelope('t::book-1'));
      const [leased] = await store.claim('crashed', 10, 5);
      await subject.elapse(4);
      await expect(store.claim('p2', 10, LEASE)).resolves.toEqual([]);
      await subject.elapse(2);
      const [takenOver] = await store.claim('p2', 10, LEASE);
      expect(takenOver.messageId).toBe(message.id);

      await expect(store.markPublished('crashed', [leased.id])).resolves.toBe(0);
      await expect(store.markPublished('p2', [takenOver.id])).resolves.toBe(1);
    });

    it('holds later rows of a stream back while an earlier one is unpublished; other streams go on', async () => {
      const [a1, a2, b1] = await write(
        eventEnvelope('t::book-a'),
        eventEnvelope('t::book-a'),
        eventEnvelope('t::book-b'),
      );
      const [claimedA1] = await store.claim('p1', 1, LEASE);
      expect(claimedA1.messageId).toBe(a1.id);
      // a2 waits for a1 (held by p1); b1 is free.
      const claimedB = await store.claim('p2', 10, LEASE);
      expect(ids(claimedB)).toEqual([b1.id]);
      await store.markPublished('p2', [claimedB[0].id]);

      await store.markFailed('p1', [
        { id: claimedA1.id, error: 'broker down', retryDelaySeconds: 60, abandon: false },
      ]);
      // a1 failed and is not due: a2 still waits.
      await expect(store.claim('p2', 10, LEASE)).resolves.toEqual([]);
      await subject.elapse(61);
      expect(ids(await store.claim('p2', 10, LEASE))).toEqual([a1.id, a2.id]);
    });

    it('claims a stream only as a prefix: never a later row without the earlier ones', async () => {
      const written = await write(
        eventEnvelope('t::book-a'),
        eventEnvelope('t::book-a'),
        eventEnvelope('t::book-a'),
      );
      const first = await store.claim('p1', 2, LEASE);
      expect(ids(first)).toEqual([written[0].id, written[1].id]);
      await expect(store.claim('p2', 10, LEASE)).resolves.toEqual([]);
      await store.markPublished(
        'p1',
        first.map((message) => message.id),
      );
      expect(ids(await store.claim('p2', 10, LEASE))).toEqual([written[2].id]);
    });

    it('retries a failed row after its delay, abandons it on the last attempt, and requeues it on demand', async () => {
      const [message] = await write(eventEnvelope('t::book-1'));
      const [attempt1] = await store.claim('p1', 10, LEASE);
      await store.markFailed('p1', [
        { id: attempt1.id, error: 'boom 1', retryDelaySeconds: 10, abandon: false },
      ]);
      expect((await store.stats()).counts).toMatchObject({ failed: 1, processing: 0 });
      await subject.elapse(9);
      await expect(store.claim('p1', 10, LEASE)).resolves.toEqual([]);
      await subject.elapse(2);
      const [attempt2] = await store.claim('p1', 10, LEASE);
      expect(attempt2).toMatchObject({ messageId: message.id, retryCount: 1 });

      await store.markFailed('p1', [
        { id: attempt2.id, error: 'boom 2', retryDelaySeconds: 10, abandon: true },
      ]);
      await subject.elapse(3600);
      await expect(store.claim('p1', 10, LEASE)).resolves.toEqual([]);
      expect((await store.stats()).counts).toMatchObject({ abandoned: 1, failed: 0 });

      await expect(store.retryAbandoned()).resolves.toBe(1);
      const [again] = await store.claim('p1', 10, LEASE);
      expect(again).toMatchObject({ messageId: message.id, retryCount: 0 });
    });

    it('republishes rows published since a time, in their order, as new attempts', async () => {
      const [a, b] = await write(eventEnvelope('t::book-1'), eventEnvelope('t::book-1'));
      const claimed = await store.claim('p1', 10, LEASE);
      await store.markPublished(
        'p1',
        claimed.map((message) => message.id),
      );
      await expect(store.republish(new Date('2999-01-01T00:00:00Z'))).resolves.toBe(0);
      await expect(store.claim('p1', 10, LEASE)).resolves.toEqual([]);

      await expect(store.republish(new Date(0))).resolves.toBe(2);
      expect((await store.stats()).counts).toMatchObject({ pending: 2, published: 0 });
      const again = await store.claim('p2', 10, LEASE);
      expect(ids(again)).toEqual([a.id, b.id]);
      expect(again.map((message) => message.retryCount)).toEqual([0, 0]);
    });

    it('lets the rows behind an abandoned row go', async () => {
      const [a1, a2] = await write(eventEnvelope('t::book-a'), eventEnvelope('t::book-a'));
      const [claimed] = await store.claim('p1', 1, LEASE);
      expect(claimed.messageId).toBe(a1.id);
      await store.markFailed('p1', [
        { id: claimed.id, error: 'poison', retryDelaySeconds: 0, abandon: true },
      ]);
      expect(ids(await store.claim('p1', 10, LEASE))).toEqual([a2.id]);
    });

    it('hands released rows back for the next claim', async () => {
      const [message] = await write(eventEnvelope('t::book-1'));
      const [claimed] = await store.claim('p1', 10, LEASE);
      await store.release('p2', [claimed.id]);
      await expect(store.claim('p3', 10, LEASE)).resolves.toEqual([]);
      await store.release('p1', [claimed.id]);
      expect(ids(await store.claim('p3', 10, LEASE))).toEqual([message.id]);
    });

    it('reports the age of the oldest unpublished row', async () => {
      await expect(store.stats()).resolves.toMatchObject({ oldestPendingAgeSeconds: null });
      await write(eventEnvelope('t::book-1'));
      await subject.elapse(120);
      await write(eventEnvelope('t::book-2'));
      const { oldestPendingAgeSeconds } = await store.stats();
      expect(oldestPendingAgeSeconds).toBeGreaterThanOrEqual(119);
      expect(oldestPendingAgeSeconds).toBeLessThan(180);
    });

    it('deletes published rows past their retention, and abandoned rows past theirs', async () => {
      await write(...Array.from({ length: 5 }, (_, n) => eventEnvelope(`t::book-${n}`)));
      const claimed = await store.claim('p1', 10, LEASE);
      await store.markPublished(
        'p1',
        claimed.slice(0, 3).map((message) => message.id),
      );
      await store.markFailed('p1', [
        { id: claimed[3].id, error: 'poison', retryDelaySeconds: 0, abandon: true },
      ]);
      await store.release('p1', [claimed[4].id]);
      const cleanup = {
        publishedRetentionSeconds: 100,
        abandonedRetentionSeconds: 1000,
        batchSize: 2,
      };

      await expect(store.cleanup(cleanup)).resolves.toBe(0);
      await subject.elapse(101);
      await expect(store.cleanup(cleanup)).resolves.toBe(3);
      await subject.elapse(1000);
      await expect(store.cleanup(cleanup)).resolves.toBe(1);
      expect((await store.stats()).counts).toEqual({
        pending: 1,
        processing: 0,
        published: 0,
        failed: 0,
        abandoned: 0,
      });
    });
  });
}
