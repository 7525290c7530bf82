import { buildTrail, mergeMessages } from './build-trail.js';
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
