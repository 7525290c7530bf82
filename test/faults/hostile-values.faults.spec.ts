import fc from 'fast-check';
import type { Redis } from 'ioredis';
import type { BookshelfSystem } from '../support/bookshelf-system.js';
import { PROCESS_POLL } from '../support/processes.js';
import { deadLetterEntries, type DeadLetterEntry } from './support/dead-letter-entries.js';
import { startFaultSystem } from './support/fault-system.js';
import {
  bookBody,
  fieldValue,
  orderBody,
  unstorableString,
  type HostileBody,
} from './support/hostile-json.js';
import { recordScenario } from './support/report.js';
import { deadLetters, DOMAIN_STREAMS } from './support/stream-inspection.js';
import { eventually } from 'nestjs-protean/testing';

/**
 * Issue 12, scenario 13: arbitrary JSON strings, numbers and shapes (fast-check) thrown at
 * `POST /books`, `POST /orders` and the `external-orders` stream of the production setup. The
 * invariant: a body is answered 4xx with a message naming the problem, or accepted and its
 * command decided with the values as sent (a 202 is a promise); an entry is dead-lettered
 * once at its first attempt, or its order decided. Never a 5xx, never a message stuck: no
 * pending entry, no unpublished outbox row, nothing on a domain stream's dead-letter stream.
 * A fixed seed in CI (FC_SEED replays another), a bounded number of runs (FC_RUNS).
 */
const SEED = Number(process.env.FC_SEED ?? 20261204);
const RUNS = Number(process.env.FC_RUNS ?? 300);
const EXTERNAL = 'external-orders';
const FIELDS = { books: ['title', 'author', 'isbn'], orders: ['customer'] } as const;

type Target = 'books' | 'orders' | typeof EXTERNAL;

interface Case {
  readonly target: Target;
  readonly body: HostileBody;
  status?: number;
  message?: unknown;
  /** The id a 202 answered with. */
  id?: string;
  /** The stream entry's id. */
  entryId?: string;
}

/** What the system did with a case, once settled; `undefined` while it is not. */
type Outcome = { ok: true; kind: string } | { ok: false; why: string } | undefined;

const DECIDED = new Set(['CONFIRMED', 'REJECTED']);

/** A message that names something: a non-empty string, or a list of them. */
function namesAProblem(message: unknown): boolean {
  const lines = Array.isArray(message) ? message : [message];
  return lines.length > 0 && lines.every((line) => typeof line === 'string' && line.length > 0);
}

/** The top-level fields holding a string PostgreSQL refuses (an oracle independent of the rule). */
function unstorableFields(one: Case): string[] {
  return FIELDS[one.target as 'books' | 'orders'].filter((name) => {
    const value = fieldValue(one.body, name);
    return value?.startsWith('"') === true && unstorableString(JSON.parse(value) as string);
  });
}

/** The immediate part of the invariant, checked inside the property (so fast-check shrinks it). */
function checkAnswer(one: Case): string | undefined {
  const status = one.status!;
  if (status >= 500) return `answered ${status}`;
  const unstorable = unstorableFields(one);
  if (status >= 400) {
    if (!namesAProblem(one.message)) return `answered ${status} without a message`;
    // One message, not a list: the body was refused as a whole (a forbidden key, say) before
    // its fields were looked at.
    if (typeof one.message === 'string') return undefined;
    const named = JSON.stringify(one.message);
    const unnamed = unstorable.filter((name) => status !== 400 || !named.includes(`${name}:`));
    return unnamed.length
      ? `${unnamed.join(', ')} unstorable but not named: ${status} ${named}`
      : undefined;
  }
  if (status !== 202 || typeof one.id !== 'string') return `answered ${status} without an id`;
  if (unstorable.length) return `accepted (${status}) unstorable ${unstorable.join(', ')}`;
  return undefined;
}

/** The outcome of a body answered 4xx: fine when the answer named the problem. */
function refused(one: Case): Outcome {
  const problem = checkAnswer(one);
  return problem === undefined ? { ok: true, kind: 'refused' } : { ok: false, why: problem };
}

/** Pending entries of every group on the given streams. */
async function pendingEntries(redis: Redis, streams: readonly string[]): Promise<number> {
  let pending = 0;
  for (const stream of streams) {
    if (!(await redis.exists(stream))) continue;
    for (const group of (await redis.xinfo('GROUPS', stream)) as unknown[][]) {
      pending += Number(group[group.indexOf('pending') + 1]);
    }
  }
  return pending;
}

describe('scenario 13: hostile values (property-based)', () => {
  let system: BookshelfSystem | undefined;

  afterAll(async () => {
    await system?.stop();
  });

  it('answers every arbitrary body 4xx naming the problem or decides it as sent, and dead-letters every unstorable entry once; nothing 5xx, nothing stuck', async () => {
    system = await startFaultSystem();
    const db = system.db;
    const { url } = await system.startApi();
    await system.startWorker();
    const redis = system.redisClient();
    const post = async (path: string, text: string) => {
      const response = await fetch(`${url}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new TextEncoder().encode(text),
      });
      const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      return { status: response.status, answer };
    };
    // The books orders name: one with stock (orders confirmed), one without (rejected).
    const books: string[] = [];
    for (const stock of [1_000_000, 0]) {
      const { answer } = await post(
        'books',
        JSON.stringify({ title: 'T', author: 'A', price: 1, stock }),
      );
      books.push(String(answer.id));
    }
    await eventually(
      async () =>
        (await Promise.all(books.map((id) => fetch(`${url}/books/${id}`)))).every((r) => r.ok),
      { ...PROCESS_POLL, timeoutMs: 30_000, what: 'the two books in the catalog' },
    );

    process.stdout.write(
      `scenario 13: fast-check seed ${SEED} (FC_SEED=${SEED} replays it), ${RUNS} runs (FC_RUNS)\n`,
    );
    const cases: Case[] = [];
    const arbitrary = fc.oneof(
      bookBody.map((body): Case => ({ target: 'books', body })),
      orderBody(books).map((body): Case => ({ target: 'orders', body })),
      orderBody(books).map((body): Case => ({ target: EXTERNAL, body })),
    );
    const started = Date.now();
    const details = await fc.check(
      fc.asyncProperty(arbitrary, async (generated) => {
        const one: Case = { ...generated };
        cases.push(one);
        if (one.target === EXTERNAL) {
          one.entryId = (await redis.xadd(EXTERNAL, '*', 'data', one.body.text))!;
          return true;
        }
        const { status, answer } = await post(one.target, one.body.text);
        Object.assign(one, { status, message: answer.message, id: answer.id });
        const problem = checkAnswer(one);
        if (problem) throw new Error(`${problem}: POST /${one.target} ${one.body.text}`);
        return true;
      }),
      { seed: SEED, numRuns: RUNS },
    );

    // The deferred part: every accepted command decided with its values as sent, every entry
    // settled. Read in bulk, polled to one deadline.
    /** Whether the number stored is the literal sent: PostgreSQL's numeric, every digit kept, is the oracle. */
    const numberKept = async (literal: string, kept: unknown) => {
      const [row] = await db.query<{ same: boolean }>(`SELECT $1::numeric = $2::numeric AS same`, [
        literal,
        String(kept),
      ]);
      return row.same;
    };
    /** `stock` is optional: absent or null, the book starts with none. */
    const stockSent = (body: HostileBody) => {
      const literal = fieldValue(body, 'stock');
      return literal === undefined || literal === 'null' ? '0' : literal;
    };
    const sameString = (body: HostileBody, key: string, kept: unknown) => {
      const sent = fieldValue(body, key);
      return sent === undefined ? kept === null || kept === undefined : JSON.parse(sent) === kept;
    };
    async function outcomes(): Promise<Outcome[]> {
      const documents = async (name: string) =>
        new Map(
          (
            await db.query<{ id: string; document: Record<string, unknown> }>(
              'SELECT id, document FROM projections WHERE name = $1',
              [name],
            )
          ).map((row) => [row.id, row.document]),
        );
      const [catalog, summaries, letters, placed] = await Promise.all([
        documents('catalog'),
        documents('order_summaries'),
        deadLetterEntries(redis, EXTERNAL),
        db.query<{ orderId: string; correlation: string }>(
          `SELECT data->>'orderId' AS "orderId", metadata->>'correlationId' AS correlation
             FROM outbox WHERE type = 'bookshelf.PlaceOrder.v1'`,
        ),
      ]);
      const orderOf = new Map(placed.map((row) => [row.correlation, row.orderId]));
      const out: Outcome[] = [];
      for (const one of cases) out.push(await outcomeOf(one, catalog, summaries, letters, orderOf));
      return out;
    }
    async function outcomeOf(
      one: Case,
      catalog: Map<string, Record<string, unknown>>,
      summaries: Map<string, Record<string, unknown>>,
      letters: DeadLetterEntry[],
      orderOf: Map<string, string>,
    ): Promise<Outcome> {
      if (one.target === 'books') {
        if (one.status !== 202) return refused(one);
        const book = catalog.get(one.id!);
        if (!book) return undefined;
        const faithful =
          FIELDS.books.every((key) => sameString(one.body, key, book[key])) &&
          (await numberKept(fieldValue(one.body, 'price')!, book.price)) &&
          (await numberKept(stockSent(one.body), book.stock));
        return faithful
          ? { ok: true, kind: 'decided' }
          : { ok: false, why: `stored as ${JSON.stringify(book)}` };
      }
      const orderId = one.target === 'orders' ? one.id : orderOf.get(`${EXTERNAL}/${one.entryId}`);
      if (one.target === 'orders' && one.status !== 202) return refused(one);
      const own = letters.filter((letter) => letter.originalId === one.entryId);
      if (one.target === EXTERNAL && own.length > 0) {
        const once = own.length === 1 && own[0].attempts === 1 && own[0].error.length > 0;
        return once
          ? { ok: true, kind: 'dead-lettered' }
          : { ok: false, why: `dead letters ${JSON.stringify(own)}` };
      }
      const order = orderId === undefined ? undefined : summaries.get(orderId);
      if (!order || !DECIDED.has(order.status as string)) return undefined;
      return sameString(one.body, 'customer', order.customer)
        ? { ok: true, kind: 'decided' }
        : { ok: false, why: `stored as ${JSON.stringify(order)}` };
    }
    let settled: Outcome[] = [];
    let timedOut: string | undefined;
    const stuckEverywhere = async () => ({
      pending: await pendingEntries(redis, [EXTERNAL, ...DOMAIN_STREAMS]),
      unpublished: Number(
        (
          await db.query<{ count: string }>(
            `SELECT count(*) FROM outbox WHERE status <> 'published'`,
          )
        )[0].count,
      ),
      domainDeadLetters: await deadLetters(redis),
    });
    await eventually(
      async () => {
        settled = await outcomes();
        const stuck = await stuckEverywhere();
        return (
          settled.every((outcome) => outcome !== undefined) &&
          stuck.pending === 0 &&
          stuck.unpublished === 0
        );
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'every case settled' },
    ).catch((error: Error) => (timedOut = error.message)); // go on: the report row says which
    const stuck = await stuckEverywhere();
    const seconds = (Date.now() - started) / 1000;

    const failures = cases.flatMap((one, i) => {
      const outcome = settled[i];
      if (outcome?.ok) return [];
      const why = outcome === undefined ? 'never settled (stuck)' : outcome.why;
      return [`${one.target} ${one.body.text} → ${one.status ?? one.entryId}: ${why}`];
    });
    const count = (target: Target, kind: string) =>
      cases.filter((one, i) => {
        const outcome = settled[i];
        return one.target === target && outcome?.ok === true && outcome.kind === kind;
      }).length;
    const perTarget = (target: Target, verb: string) =>
      `${cases.filter((one) => one.target === target).length} ${target} (${count(target, 'decided')} decided as sent, ${count(target, verb)} ${verb})`;
    const fiveHundreds = cases.filter((one) => (one.status ?? 0) >= 500).length;
    recordScenario({
      scenario: 13,
      name: 'Hostile values (property-based)',
      sent: cases.length,
      completed: cases.length - failures.length,
      lost: failures.length,
      duplicated: settled.filter(
        (outcome) => outcome?.ok === false && /dead letters/.test(outcome.why),
      ).length,
      note:
        `fast-check seed ${SEED}, ${RUNS} runs in ${seconds.toFixed(1)} s: ${perTarget('books', 'refused')}, ` +
        `${perTarget('orders', 'refused')}, ${perTarget(EXTERNAL, 'dead-lettered')}; refused = 4xx naming the problem, ` +
        `dead-lettered = once at attempt 1. Values: strings of any code units (U+0000, lone surrogates), doubles, ` +
        `integers beyond 2^53, literals no double keeps (1e400, -0, 0.1000000000000000055), extra fields, arrays for objects, nesting. ` +
        `${fiveHundreds} answered 5xx; afterwards ${stuck.pending} entries pending, ${stuck.unpublished} outbox rows unpublished, ` +
        `${stuck.domainDeadLetters} domain dead letters` +
        (failures.length ? `. Not settled: ${failures.slice(0, 3).join('; ')}` : '') +
        (timedOut ? ` (${timedOut})` : ''),
    });

    if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? 'property failed');
    expect(failures).toEqual([]);
    expect({ ...stuck, fiveHundreds }).toEqual({
      pending: 0,
      unpublished: 0,
      domainDeadLetters: 0,
      fiveHundreds: 0,
    });
  });
});
