import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BookshelfSystem, inParallel, postJson } from '../support/bookshelf-system.js';
import { PROCESS_POLL } from '../support/processes.js';
import { deadLetterEntries, groupBacklog } from './support/dead-letter-entries.js';
import { POISON_WORKER_MAIN } from './support/fault-processes.js';
import { recordScenario } from './support/report.js';
import { eventually } from 'nestjs-protean/testing';

/**
 * Issue 6, scenario 8: 100 poison messages — a handler that always throws for them — amid
 * healthy traffic on the same handler, the first 15 in a row, with the circuit breaker on
 * (issue 12: poison is the message's fault, never an outage that pauses healthy traffic). Each poison message is tried 1 + max_retries times and
 * dead-lettered exactly once with that attempt count; every healthy message is handled once.
 */
const POISON = 100;
const HEALTHY = 200;
const MAX_RETRIES = 2;
/** Poison books sent first, in a row: more than the breaker's default threshold (10). */
const POISON_BURST = 15;
const GROUP = 'PoisonAwareHandler';

const book = (title: string) => ({ title, author: 'A. Author', price: 10, stock: 5 });

function countBy(lines: readonly string[], verb: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const [word, id] = line.split(' ');
    if (word === verb) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('scenario 8: poison messages', () => {
  let system: BookshelfSystem | undefined;
  let workdir: string;

  beforeAll(() => {
    workdir = mkdtempSync(join(tmpdir(), 'faults-poison-'));
  });

  afterAll(async () => {
    await system?.stop();
    rmSync(workdir, { recursive: true, force: true });
  });

  it('dead-letters each of 100 poison messages exactly once with its attempts; healthy traffic is all handled once', async () => {
    const log = join(workdir, 'handler.log');
    system = await BookshelfSystem.start({
      POISON_PREFIX: 'Poison',
      POISON_LOG: log,
      // Small retries keep it fast. The breaker is on, at its default (10 in a row, 60 s):
      // a flood of poison amid healthy traffic is the message's fault, not an outage, so it
      // must never open it and pause the healthy books.
      PROTEAN_SERVER__MAX_RETRIES: String(MAX_RETRIES),
      PROTEAN_SERVER__RETRY_DELAY_SECONDS: '0.05',
      PROTEAN_SERVER__MAX_RETRY_DELAY_SECONDS: '0.2',
    });
    const { url } = await system.startApi();
    await system.startWorker({}, POISON_WORKER_MAIN);
    const redis = system.redisClient();

    // A burst of poison first — more failures in a row than the breaker's threshold, which
    // must not pause what follows — then the rest interleaved with the healthy books.
    const rest = POISON + HEALTHY - POISON_BURST;
    const poisonAt = (j: number) =>
      Math.floor(((j + 1) * (POISON - POISON_BURST)) / rest) >
      Math.floor((j * (POISON - POISON_BURST)) / rest);
    const titles = Array.from({ length: POISON + HEALTHY }, (_, i) =>
      i < POISON_BURST || poisonAt(i - POISON_BURST) ? `Poison ${i}` : `Healthy ${i}`,
    );
    const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n') : []);
    const send = (some: readonly string[]) =>
      inParallel(some, 20, async (title) => ({
        title,
        answer: await postJson(`${url}/books`, book(title)),
      }));
    const started = Date.now();
    // The burst alone first, until each of its books failed: nothing healthy between them.
    const burst = await send(titles.slice(0, POISON_BURST));
    await eventually(async () => countBy(lines(), 'attempt').size >= POISON_BURST, {
      ...PROCESS_POLL,
      timeoutMs: 30_000,
      what: `the ${POISON_BURST} poison books of the burst tried`,
    });
    const answers = [...burst, ...(await send(titles.slice(POISON_BURST)))];
    expect(answers.filter(({ answer }) => answer.status !== 202)).toEqual([]);
    const idsOf = (prefix: string) =>
      answers
        .filter(({ title }) => title.startsWith(prefix))
        .map(({ answer }) => (answer.body as { id: string }).id);
    const poisonIds = idsOf('Poison');
    const healthyIds = idsOf('Healthy');
    expect([poisonIds.length, healthyIds.length]).toEqual([POISON, HEALTHY]);

    await eventually(
      async () =>
        (await deadLetterEntries(redis, 'bookshelf::book')).length >= POISON &&
        countBy(lines(), 'processed').size >= HEALTHY,
      {
        timeoutMs: 60_000,
        intervalMs: 250,
        what: '100 dead letters and 200 healthy books handled',
      },
    );
    const settledSeconds = (Date.now() - started) / 1000;
    // Settled: everything published, the group has read the whole stream and holds nothing,
    // so no further dead letter can appear.
    await eventually(
      async () => {
        const outbox = await system!.outboxByStatus();
        const backlog = await groupBacklog(redis, 'bookshelf::book', GROUP);
        return (
          outbox.published === 2 * (POISON + HEALTHY) &&
          Object.keys(outbox).length === 1 &&
          backlog?.pending === 0 &&
          backlog.lag === 0
        );
      },
      { timeoutMs: 20_000, intervalMs: 250, what: 'the outbox published and the group settled' },
    );

    const letters = await deadLetterEntries(redis, 'bookshelf::book');
    const letteredIds = letters.map((letter) => JSON.parse(letter.data!).payload.bookId as string);
    const attempts = countBy(lines(), 'attempt');
    const processed = countBy(lines(), 'processed');
    const duplicated =
      letteredIds.length -
      new Set(letteredIds).size +
      [...processed.values()].filter((count) => count > 1).length;
    recordScenario({
      scenario: 8,
      name: 'Poison messages (100) amid healthy traffic (200)',
      sent: POISON + HEALTHY,
      completed: new Set(letteredIds).size + processed.size,
      lost: POISON + HEALTHY - new Set(letteredIds).size - processed.size,
      duplicated,
      note: duplicated
        ? `${duplicated} duplicate dead letters or handlings; ${letters.length} dead letters for ${POISON} poison messages`
        : `each poison message tried ${MAX_RETRIES + 1}× (max_retries ${MAX_RETRIES}, backoff 50–200 ms, ` +
          `circuit breaker on at its default, never opened by poison: ${POISON_BURST} of them sent first in a row) and dead-lettered once to bookshelf::book:dlq with attempts ${MAX_RETRIES + 1}; ` +
          `healthy books handled once each, catalog complete; all settled in ${settledSeconds.toFixed(1)} s`,
    });

    expect(letters.length).toBe(POISON);
    expect(duplicated).toBe(0);
    expect(letters.map((letter) => letter.group)).toEqual(Array(POISON).fill(GROUP));
    expect(new Set(letters.map((letter) => letter.originalId)).size).toBe(POISON);
    expect([...letteredIds].sort()).toEqual([...poisonIds].sort());
    expect(letters.every((letter) => letter.attempts === MAX_RETRIES + 1)).toBe(true);
    expect(letters.every((letter) => letter.error.includes('poison book'))).toBe(true);
    expect([...attempts.keys()].sort()).toEqual([...poisonIds].sort());
    expect([...attempts.values()].every((count) => count === MAX_RETRIES + 1)).toBe(true);
    // Healthy traffic: every healthy book handled exactly once, no poison book ever "handled".
    expect([...processed.keys()].sort()).toEqual([...healthyIds].sort());
    expect(duplicated).toBe(0);
    // The other handlers saw nothing wrong: no dead letters of theirs, a complete catalog.
    expect(await redis.xlen('bookshelf::book:command:dlq')).toBe(0);
    const catalog = (await (await fetch(`${url}/books?limit=1000`)).json()) as unknown[];
    expect(catalog).toHaveLength(POISON + HEALTHY);
  }, 120_000);
});

describe('permanent failures', () => {
  let system: BookshelfSystem | undefined;

  afterAll(async () => {
    await system?.stop();
  });

  it('dead-letters an external order naming an unknown book at once, with attempts 1, and goes on', async () => {
    system = await BookshelfSystem.start();
    const { url } = await system.startApi();
    await system.startWorker();
    const redis = system.redisClient();
    const unknownBook = '00000000-0000-4000-8000-000000000042';
    const sentAt = Date.now();
    const id = await redis.xadd(
      'external-orders',
      '*',
      'data',
      JSON.stringify({ customer: 'Ada', items: [{ bookId: unknownBook, quantity: 1 }] }),
    );
    await eventually(async () => (await deadLetterEntries(redis, 'external-orders')).length === 1, {
      ...PROCESS_POLL,
      timeoutMs: 20_000,
      what: 'the external order on external-orders:dlq',
    });
    const [letter] = await deadLetterEntries(redis, 'external-orders');
    expect(letter).toMatchObject({
      originalId: id,
      group: 'ExternalOrdersSubscriber',
      attempts: 1,
    });
    expect(letter.error).toBe(`NotFoundError: Book ${unknownBook} not found`);
    // Not retried: well under the first retry's delay (retry_delay_seconds 1).
    expect(Date.now() - sentAt).toBeLessThan(10_000);

    // The worker goes on: a valid external order is placed and confirmed.
    const added = await postJson(`${url}/books`, book('Known'));
    const bookId = (added.body as { id: string }).id;
    await eventually(async () => (await fetch(`${url}/books/${bookId}`)).ok, {
      ...PROCESS_POLL,
      timeoutMs: 20_000,
      what: 'the book in the catalog',
    });
    await redis.xadd(
      'external-orders',
      '*',
      'data',
      JSON.stringify({ customer: 'Grace', items: [{ bookId, quantity: 1 }] }),
    );
    await eventually(async () => (await system!.orderTotals()).confirmed === 1, {
      ...PROCESS_POLL,
      timeoutMs: 20_000,
      what: 'the valid external order confirmed',
    });
    expect(await redis.xlen('external-orders:dlq')).toBe(1);
    expect(await redis.xlen('bookshelf::order:command:dlq')).toBe(0);
  }, 120_000);
});
