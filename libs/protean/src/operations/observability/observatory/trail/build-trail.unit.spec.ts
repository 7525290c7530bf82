import { buildTrail, hopsOf, mergeMessages } from './build-trail.js';
import type { TrailMessage } from './trail.types.js';

const message = (
  id: string,
  causationId: string,
  time: string,
  extra: Partial<TrailMessage> = {},
): TrailMessage => ({
  id,
  kind: 'EVENT',
  type: `T.${id}`,
  stream: 's-1',
  causationId,
  time,
  handledBy: [],
  deadLetters: [],
  ...extra,
});

const shape = (nodes: ReturnType<typeof buildTrail>): unknown =>
  nodes.map((node) => ({ [node.message.id]: shape(node.children) }));

describe('a message trail as a causation tree', () => {
  it('puts each message under its cause, in time order, and what the request caused on top', () => {
    const trail = buildTrail([
      message('event-2', 'command', '2026-01-01T00:00:03Z'),
      message('command', 'request', '2026-01-01T00:00:01Z', { kind: 'COMMAND' }),
      message('event-1', 'command', '2026-01-01T00:00:02Z'),
      message('reaction', 'event-1', '2026-01-01T00:00:04Z'),
    ]);
    expect(shape(trail)).toEqual([
      { command: [{ 'event-1': [{ reaction: [] }] }, { 'event-2': [] }] },
    ]);
  });

  it('shows a message whose cause is missing at the top, and never loops on a cycle', () => {
    const trail = buildTrail([
      message('a', 'b', '2026-01-01T00:00:01Z'),
      message('b', 'a', '2026-01-01T00:00:02Z'),
      message('orphan', 'gone', '2026-01-01T00:00:03Z'),
    ]);
    expect(trail.map((node) => node.message.id).sort()).toEqual(['a', 'orphan']);
    expect(shape(trail)).toContainEqual({ a: [{ b: [] }] });
  });

  it('merges what the outbox, the event store and the dead letters know of one message', () => {
    const outbox = {
      status: 'published',
      retryCount: 0,
      createdAt: 't',
      publishedAt: 't',
      lastError: null,
    };
    const letter = {
      broker: 'default',
      stream: 'bookshelf::book',
      id: '1-0',
      group: 'G',
      error: 'boom',
      attempts: 4,
      failedAt: 't',
    };
    const [merged] = mergeMessages([
      message('m', 'r', 't', { outbox }),
      message('m', 'r', 't'),
      message('m', 'r', 't', { deadLetters: [letter] }),
    ]);
    expect(merged).toMatchObject({ id: 'm', outbox, deadLetters: [letter] });
  });
});

describe("a trail message's hops", () => {
  const outbox = (createdAt: string, publishedAt: string | null) => ({
    status: publishedAt ? 'published' : 'pending',
    retryCount: 0,
    createdAt,
    publishedAt,
    lastError: null,
  });

  it('measures the outbox from row to publish, and each handler from the publish to its record', () => {
    const hops = hopsOf(
      message('e', 'c', '2026-01-01T00:00:00.000Z', {
        outbox: outbox('2026-01-01T00:00:00.010Z', '2026-01-01T00:00:00.031Z'),
        handledBy: [
          { handler: 'Projector', at: '2026-01-01T00:00:00.075Z' },
          { handler: 'Reserver', at: '2026-01-01T00:00:00.131Z' },
        ],
      }),
    );
    expect(hops).toEqual({
      commitToPublishedMs: 21,
      handled: [
        { handler: 'Projector', ms: 44 },
        { handler: 'Reserver', ms: 100 },
      ],
    });
  });

  it('measures handlers from the message itself when it had no outbox row, and nothing before a publish', () => {
    const direct = message('d', 'c', '2026-01-01T00:00:00.000Z', {
      handledBy: [{ handler: 'H', at: '2026-01-01T00:00:00.007Z' }],
    });
    expect(hopsOf(direct)).toEqual({ handled: [{ handler: 'H', ms: 7 }] });
    const waiting = message('w', 'c', '2026-01-01T00:00:00.000Z', {
      outbox: outbox('2026-01-01T00:00:00.001Z', null),
    });
    expect(hopsOf(waiting)).toEqual({ handled: [] });
  });

  it('never reports a negative hop when clocks disagree', () => {
    const skewed = message('s', 'c', '2026-01-01T00:00:01.000Z', {
      handledBy: [{ handler: 'H', at: '2026-01-01T00:00:00.990Z' }],
    });
    expect(hopsOf(skewed).handled).toEqual([{ handler: 'H', ms: 0 }]);
  });

  it("puts each message's hops on its node of the tree", () => {
    const [node] = buildTrail([
      message('c', 'request', '2026-01-01T00:00:00.000Z', {
        handledBy: [{ handler: 'H', at: '2026-01-01T00:00:00.005Z' }],
      }),
    ]);
    expect(node.hops).toEqual({ handled: [{ handler: 'H', ms: 5 }] });
  });
});
