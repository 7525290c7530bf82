import type { Redis } from 'ioredis';
import { eventually } from 'nestjs-protean/testing';
import { BookshelfSystem, postJson } from '../support/bookshelf-system.js';
import { CLI_MAIN, freePort, PROCESS_POLL, runToExit } from '../support/processes.js';

/**
 * Issue 17 §1: partitioned streams, as an operator meets them. API and workers as real
 * processes on PostgreSQL and Redis, `bookshelf::order` in 8 partitions: two workers share
 * them; a worker stopped cleanly hands its partitions over at once; status shows every
 * partition; and a worker started with another count while the old partitions still hold
 * messages refuses to start (exit 78), naming the key.
 */
const CATEGORY = 'bookshelf::order';
const partitions = (n: number): NodeJS.ProcessEnv => ({
  [`PROTEAN_STREAMS__${CATEGORY}__PARTITIONS`]: String(n),
});

describe('partitioned streams', () => {
  let system: BookshelfSystem;
  let api: string;
  let redis: Redis;

  beforeAll(async () => {
    system = await BookshelfSystem.start(partitions(8));
    api = (await system.startApi()).url;
    redis = system.redisClient();
  });

  afterAll(() => system.stop());

  /** The pids holding the leases of `group` on `bookshelf::order`, one entry per lease. */
  const leaseHolders = async (group: string) => {
    const leases = await redis.hgetall(`protean:leases:{${CATEGORY}}:${group}`);
    return Object.entries(leases)
      .filter(([field]) => field.startsWith('lease:'))
      .map(([, value]) => value.split('|')[2].split('-').at(-2)!);
  };
  const count = (pids: string[], pid: number) => pids.filter((p) => p === String(pid)).length;

  const placeOrder = async (bookId: string) => {
    const answer = await postJson(`${api}/orders`, {
      customer: 'Ada',
      items: [{ bookId, quantity: 1 }],
    });
    expect(answer.status).toBe(202);
    return answer.body.id as string;
  };
  const status = async (id: string) =>
    ((await (await fetch(`${api}/orders/${id}`)).json()) as { status?: string }).status;

  it('shares the partitions between two workers, shows each, and hands them over at a stop', async () => {
    const first = await system.startWorker();
    const second = await system.startWorker();
    // Four each, once the first to start has given back what is beyond its fair share.
    await eventually(
      async () => {
        const holders = await leaseHolders('OrderSummaryProjector');
        return (
          holders.length === 8 &&
          count(holders, first.child.pid!) === 4 &&
          count(holders, second.child.pid!) === 4
        );
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'the 8 partitions shared 4 and 4' },
    );

    const book = await postJson(`${api}/books`, {
      title: 'Partitioned',
      author: 'A',
      price: 1,
      stock: 10,
    });
    const bookId = book.body.id as string;
    await eventually(async () => (await fetch(`${api}/books/${bookId}`)).status === 200, {
      ...PROCESS_POLL,
      timeoutMs: 30_000,
      what: 'the book in the catalog',
    });
    const order = await placeOrder(bookId);
    await eventually(async () => (await status(order)) === 'CONFIRMED', {
      ...PROCESS_POLL,
      timeoutMs: 30_000,
      what: 'the order confirmed',
    });

    const table = await system.cli('subscriptions', 'status');
    expect(table.code).toBe(0);
    for (let k = 0; k < 8; k++)
      expect(table.stdout).toMatch(new RegExp(`OrderSummaryProjector\\s.*${CATEGORY}#${k}\\b`));

    // A worker left out of the change (no partitions) would publish and read where the others
    // do not: it refuses to start while they run.
    const unpartitioned = Object.fromEntries(
      Object.entries(system.env).filter(([name]) => !name.startsWith('PROTEAN_STREAMS__')),
    );
    const stale = await runToExit(CLI_MAIN, ['server'], {
      ...unpartitioned,
      PROTEAN_SERVER__HEALTH__PORT: String(await freePort()),
    });
    expect(stale.code).toBe(78);
    expect(stale.stderr).toContain(`streams.${CATEGORY}.partitions: is 1`);
    expect(stale.stderr).toContain(`2 running worker(s)`);

    // A clean stop gives its leases back: the other takes them on its next turn, not a TTL later.
    await first.stop('SIGTERM');
    await eventually(
      async () => count(await leaseHolders('OrderSummaryProjector'), second.child.pid!) === 8,
      { timeoutMs: 8_000, intervalMs: 100, what: 'every partition with the remaining worker' },
    );
    await second.stop('SIGTERM');
  });

  it('refuses to start on another partition count while the old partitions hold messages', async () => {
    // A message no worker has read yet, on one of the 8 partitions of the layout in use.
    await redis.xadd(`${CATEGORY}#3`, '*', 'data', '{"left":"behind"}');
    const port = await freePort();
    const refused = await runToExit(CLI_MAIN, ['server'], {
      ...system.env,
      ...partitions(4),
      PROTEAN_SERVER__HEALTH__PORT: String(port),
    });
    expect(refused.code).toBe(78);
    expect(refused.stderr).toContain(`streams.${CATEGORY}.partitions: is 4`);
    expect(refused.stderr).toContain('laid out in 8 partition(s)');
    expect(refused.stderr).toContain(`on "${CATEGORY}#3"`);
    expect(await redis.hget('protean:partition-layouts', CATEGORY)).toBe('8');
  });
});
