import { KeyedWorkQueue, type RetryLater } from './keyed-work-queue.js';
import { ConcurrencySlots } from './concurrency-slots.js';

interface Job {
  readonly key?: string;
  readonly id: string;
  readonly gate?: Promise<void>;
  retries?: number;
}

function deferred() {
  let open!: () => void;
  const gate = new Promise<void>((done) => (open = done));
  return { gate, open };
}

function recorder(concurrency: number) {
  const started: string[] = [];
  const finished: string[] = [];
  let active = 0;
  let maxActive = 0;
  const activeKeys = new Set<string>();
  let keyOverlap = false;
  const queue = new KeyedWorkQueue<Job>(concurrency, async (job): Promise<RetryLater | void> => {
    if (job.key && activeKeys.has(job.key)) keyOverlap = true;
    if (job.key) activeKeys.add(job.key);
    active++;
    maxActive = Math.max(maxActive, active);
    started.push(job.id);
    await job.gate;
    await Promise.resolve();
    active--;
    if (job.key) activeKeys.delete(job.key);
    if (job.retries && job.retries > 0) {
      job.retries--;
      return { retryAfterMs: 5 };
    }
    finished.push(job.id);
  });
  return { queue, started, finished, stats: () => ({ maxActive, keyOverlap }) };
}

describe('KeyedWorkQueue', () => {
  it('never runs more than the concurrency at once', async () => {
    const { queue, finished, stats } = recorder(3);
    for (let i = 0; i < 20; i++) queue.push(undefined, { id: `j${i}` });
    await queue.idle();
    expect(finished).toHaveLength(20);
    expect(stats().maxActive).toBe(3);
  });

  it('never runs two items of one key at once and keeps their order', async () => {
    const { queue, finished, stats } = recorder(10);
    for (let i = 0; i < 30; i++) queue.push(`k${i % 3}`, { key: `k${i % 3}`, id: `${i % 3}:${i}` });
    await queue.idle();
    expect(stats().keyOverlap).toBe(false);
    for (const key of ['0', '1', '2']) {
      const order = finished
        .filter((id) => id.startsWith(`${key}:`))
        .map((id) => Number(id.split(':')[1]));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('lets other keys run while one key is blocked', async () => {
    const { queue, started } = recorder(2);
    const blocker = deferred();
    queue.push('a', { key: 'a', id: 'a1', gate: blocker.gate });
    queue.push('a', { key: 'a', id: 'a2' });
    queue.push('b', { key: 'b', id: 'b1' });
    await new Promise((next) => setTimeout(next, 10));
    expect(started).toEqual(['a1', 'b1']);
    blocker.open();
    await queue.idle();
    expect(started).toEqual(['a1', 'b1', 'a2']);
  });

  it('holds later items of a key while its head waits to retry, and frees the slot meanwhile', async () => {
    const { queue, started, finished } = recorder(1);
    queue.push('a', { key: 'a', id: 'a1', retries: 2 });
    queue.push('a', { key: 'a', id: 'a2' });
    queue.push('b', { key: 'b', id: 'b1' });
    await queue.idle();
    expect(finished).toEqual(['b1', 'a1', 'a2']);
    expect(started.filter((id) => id === 'a1')).toHaveLength(3);
  });

  it('reports its size and clears queued items and pending retries', async () => {
    const { queue } = recorder(1);
    const blocker = deferred();
    queue.push('a', { key: 'a', id: 'a1', gate: blocker.gate });
    queue.push('a', { key: 'a', id: 'a2' });
    queue.push('b', { key: 'b', id: 'b1' });
    expect(queue.size).toBe(3);
    expect(queue.clear()).toBe(2);
    blocker.open();
    await queue.idle();
    expect(queue.size).toBe(0);
  });

  it('shares slots with other queues: never more than their limit at once, handed round in turn', async () => {
    const slots = new ConcurrencySlots(2);
    let active = 0;
    let maxActive = 0;
    const started: string[] = [];
    const gates = new Map<string, () => void>();
    const queueOf = () =>
      new KeyedWorkQueue<string>(slots, async (id) => {
        active++;
        maxActive = Math.max(maxActive, active);
        started.push(id);
        await new Promise<void>((open) => gates.set(id, open));
        active--;
      });
    const [a, b, c] = [queueOf(), queueOf(), queueOf()];
    for (let i = 0; i < 4; i++) {
      a.push(undefined, `a${i}`);
      b.push(undefined, `b${i}`);
      c.push(undefined, `c${i}`);
    }
    // a took both slots first; every slot freed since goes to the queues in turn.
    const finishOldest = () => {
      const oldest = started.find((id) => gates.has(id))!;
      gates.get(oldest)!();
      gates.delete(oldest);
    };
    for (let round = 0; round < 10; round++) {
      finishOldest();
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (const open of gates.values()) open();
    await Promise.all([a.idle(), b.idle(), c.idle()]);
    expect(maxActive).toBe(2);
    expect(started).toHaveLength(12);
    // No queue waits while another runs its whole backlog: b and c start before a's last item.
    expect(started.indexOf('b0')).toBeLessThan(started.indexOf('a3'));
    expect(started.indexOf('c0')).toBeLessThan(started.indexOf('a3'));
    a.close();
    b.close();
    c.close();
  });
});
