import type { OutgoingMessage } from '../../ports/broker/broker.port.js';
import { BrokerConnectionError } from '../../ports/broker/broker-connection.error.js';
import type { ClaimedMessage } from '../../ports/outbox/outbox-store.port.js';
import { publishInOrder } from './publish-in-order.js';
import { StreamPartitions } from '../../core/messages/stream-partitions.js';

const UNPARTITIONED = new StreamPartitions({});

let nextId = 1;
const row = (stream: string, data = `{"n":${nextId}}`): ClaimedMessage => ({
  id: nextId++,
  messageId: `m${nextId}`,
  stream,
  data,
  retryCount: 0,
  createdAt: 0,
});

/** A broker double that refuses what `refuses` says and records every call. */
function broker(refuses: (message: OutgoingMessage) => boolean) {
  const calls: OutgoingMessage[][] = [];
  const published: OutgoingMessage[] = [];
  const publish = async (messages: readonly OutgoingMessage[]) => {
    calls.push([...messages]);
    const refused = messages.find(refuses);
    if (refused) throw new Error(`refused ${refused.data}`);
    published.push(...messages);
  };
  return { calls, published, publish };
}

describe('publishInOrder', () => {
  it("publishes a partitioned category's rows on their aggregates' partitions", async () => {
    const fake = broker(() => false);
    const partitioned = new StreamPartitions({ 's::a': { partitions: 4 } });
    const rows = [row('s::a-x'), row('s::a-y'), row('s::b-x')];

    await publishInOrder(rows, fake.publish, partitioned);

    expect(fake.published.map((m) => m.stream)).toEqual([
      partitioned.brokerStreamOf('s::a-x'),
      partitioned.brokerStreamOf('s::a-y'),
      's::b',
    ]);
    expect(fake.published[0].stream).toMatch(/^s::a#[0-3]$/);
  });

  it('publishes a batch in one call, each row on its aggregate category stream', async () => {
    const rows = [row('shop::book-1'), row('shop::book:command-2'), row('external')];
    const fake = broker(() => false);
    const outcome = await publishInOrder(rows, fake.publish, UNPARTITIONED);
    expect(outcome).toEqual({ published: rows, failed: [], held: [] });
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toEqual([
      { stream: 'shop::book', data: rows[0].data },
      { stream: 'shop::book:command', data: rows[1].data },
      { stream: 'external', data: rows[2].data },
    ]);
  });

  it('fails only the row at fault, and holds back the later rows of its stream', async () => {
    const [a1, b1, a2, c1] = [row('s::a-1'), row('s::b-1', 'poison'), row('s::a-1'), row('s::b-1')];
    const other = row('s::c-1');
    const fake = broker((message) => message.data === 'poison');
    const outcome = await publishInOrder([a1, b1, a2, c1, other], fake.publish, UNPARTITIONED);

    expect(outcome.published).toEqual([a1, a2, other]);
    expect(outcome.failed).toEqual([{ message: b1, error: 'refused poison' }]);
    expect(outcome.held).toEqual([c1]);
    expect(fake.published.map((m) => m.data)).toEqual([a1.data, a2.data, other.data]);
  });

  it('treats the broker as down after the first probes fail, without trying every row', async () => {
    const rows = Array.from({ length: 50 }, (_, n) => row(`s::agg-${n}`));
    const fake = broker(() => true);
    const outcome = await publishInOrder(rows, fake.publish, UNPARTITIONED);

    expect(outcome.published).toEqual([]);
    expect(outcome.failed.map((f) => f.message)).toEqual(rows);
    expect(fake.calls).toHaveLength(3);
  });

  it('holds every row, failing none, when the broker cannot be reached (an outage is no attempt)', async () => {
    const rows = Array.from({ length: 5 }, (_, n) => row(`s::agg-${n}`));
    const unreachable = async () => {
      throw new BrokerConnectionError('default', 'Broker "default" (redis) could not publish');
    };
    const outcome = await publishInOrder(rows, unreachable, UNPARTITIONED);

    expect(outcome).toEqual({
      published: [],
      failed: [],
      held: rows,
      unavailable: 'Broker "default" (redis) could not publish',
    });
  });

  it('holds the rest of a batch when the broker goes away while rows are tried one by one', async () => {
    const [good, bad, late, later] = [
      row('s::a-1'),
      row('s::b-1', 'poison'),
      row('s::c-1'),
      row('s::d-1'),
    ];
    let calls = 0;
    const outcome = await publishInOrder(
      [good, bad, late, later],
      async (messages) => {
        calls++;
        if (calls === 1) throw new Error('one row refused');
        if (messages[0].data === 'poison') throw new Error('refused poison');
        if (messages[0].data === late.data) throw new BrokerConnectionError('default', 'gone');
      },
      UNPARTITIONED,
    );

    expect(outcome.published).toEqual([good]);
    expect(outcome.failed.map((f) => f.message)).toEqual([bad]);
    expect(outcome.held).toEqual([late, later]);
    expect(outcome.unavailable).toBe('gone');
  });
});
