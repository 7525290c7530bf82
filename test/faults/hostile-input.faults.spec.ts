import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BookshelfSystem, postJson } from '../support/bookshelf-system.js';
import { type NodeProcess, PROCESS_POLL } from '../support/processes.js';
import { deadLetterEntries } from './support/dead-letter-entries.js';
import { PROTOTYPE_PROBE } from './support/fault-processes.js';
import { recordScenario } from './support/report.js';
import { eventually } from 'nestjs-protean/testing';

/**
 * Issue 6, scenario 10: hostile HTTP bodies and hand-written stream entries. Every one is
 * answered with a clear error (400/413/415 and a JSON message naming the problem) or
 * dead-lettered with a reason; the processes stay up and serve a valid message afterwards, no
 * built-in prototype is touched inside them, and nothing is stored.
 */
const LIMIT = 100 * 1024; // HTTP_BODY_LIMIT's default, 100 kB
const MAX_PAYLOAD = 1024 * 1024; // brokers.default.max_payload_bytes' default

const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const bookText = (extra: string) => `{"title":"T","author":"A","price":1${extra}}`;
/** A book body of exactly `bytes` bytes, its title padding it out. */
const bookOfSize = (bytes: number) => {
  const empty = JSON.stringify({ title: '', author: 'A', price: 1 });
  return JSON.stringify({ title: 'x'.repeat(bytes - empty.length), author: 'A', price: 1 });
};

interface HttpCase {
  readonly name: string;
  readonly path: '/books' | '/orders';
  /** `undefined`: no Content-Type header at all. */
  readonly type: string | undefined;
  readonly body: string;
  readonly status: 400 | 413 | 415;
  readonly message: RegExp;
}

const order = (item: string) =>
  `{"customer":"C","items":[{"bookId":"${randomUUID()}","quantity":1${item}}]}`;
const json = 'application/json';
const HTTP_CASES: readonly HttpCase[] = [
  {
    name: '__proto__ at the top',
    path: '/books',
    type: json,
    body: bookText(',"__proto__":{"polluted":"yes"}'),
    status: 400,
    message: /Forbidden key "__proto__"/,
  },
  {
    name: 'constructor at the top',
    path: '/books',
    type: json,
    body: bookText(',"constructor":{"polluted":"yes"}'),
    status: 400,
    message: /Forbidden key "constructor"/,
  },
  {
    name: 'prototype at the top',
    path: '/books',
    type: json,
    body: bookText(',"prototype":{"polluted":"yes"}'),
    status: 400,
    message: /Forbidden key "prototype"/,
  },
  {
    name: '__proto__ spelled with \\u escapes',
    path: '/books',
    type: json,
    body: bookText(',"\\u005f\\u005fproto\\u005f\\u005f":{"polluted":"yes"}'),
    status: 400,
    message: /Forbidden key "__proto__"/,
  },
  {
    name: '__proto__ nested in an order item',
    path: '/orders',
    type: json,
    body: order(',"__proto__":{"polluted":"yes"}'),
    status: 400,
    message: /Forbidden key "__proto__"/,
  },
  {
    name: 'constructor.prototype nested',
    path: '/orders',
    type: json,
    body: order(',"constructor":{"prototype":{"polluted":"yes"}}'),
    status: 400,
    message: /Forbidden key "(constructor|prototype)"/,
  },
  {
    name: '10,000 nested objects',
    path: '/books',
    type: json,
    body: nested(10_000),
    status: 400,
    message: /nested deeper than 100 levels/,
  },
  {
    name: '10,000 nested arrays',
    path: '/books',
    type: json,
    body: '['.repeat(10_000) + ']'.repeat(10_000),
    status: 400,
    message: /nested deeper than 100 levels/,
  },
  {
    name: 'a title just under the body limit',
    path: '/books',
    type: json,
    body: bookOfSize(LIMIT - 1),
    status: 400,
    message: /title must be shorter than or equal to 300 characters/,
  },
  {
    name: 'a title just over the body limit',
    path: '/books',
    type: json,
    body: bookOfSize(LIMIT + 1),
    status: 413,
    message: /too large/,
  },
  {
    name: 'a 5 MB body',
    path: '/orders',
    type: json,
    body: `{"customer":"${'x'.repeat(5 * 1024 * 1024)}"}`,
    status: 413,
    message: /too large/,
  },
  {
    name: 'an isbn with U+0000 (issue 12)',
    path: '/books',
    type: json,
    body: bookText(',"isbn":"1\\u0000"'),
    status: 400,
    message: /isbn: contains the NUL character/,
  },
  {
    name: 'a customer with a lone surrogate (issue 12)',
    path: '/orders',
    type: json,
    body: order('').replace('"C"', '"\\ud800"'),
    status: 400,
    message: /customer: is not well-formed Unicode/,
  },
  {
    name: 'malformed JSON',
    path: '/books',
    type: json,
    body: '{"title":"T",',
    status: 400,
    message: /JSON/,
  },
  {
    name: 'a JSON string, not an object',
    path: '/books',
    type: json,
    body: '"just a string"',
    status: 400,
    message: /JSON|Unexpected token/,
  },
  {
    name: 'text/plain',
    path: '/books',
    type: 'text/plain',
    body: bookText(''),
    status: 415,
    message: /application\/json/,
  },
  {
    name: 'form-urlencoded',
    path: '/books',
    type: 'application/x-www-form-urlencoded',
    body: 'title=T&author=A&price=1',
    status: 415,
    message: /application\/json/,
  },
  {
    name: 'XML',
    path: '/orders',
    type: 'application/xml',
    body: '<order/>',
    status: 415,
    message: /application\/json/,
  },
  {
    name: 'no Content-Type',
    path: '/books',
    type: undefined,
    body: bookText(''),
    status: 415,
    message: /application\/json/,
  },
];

interface StreamCase {
  readonly name: string;
  readonly stream: 'external-orders' | 'bookshelf::order';
  /** The entry's fields; most have one, `data`. */
  readonly fields: readonly string[];
  readonly reason: RegExp;
}

const envelope = (changes: Record<string, unknown> = {}, payload: unknown = {}) =>
  JSON.stringify({
    id: randomUUID(),
    type: 'bookshelf.OrderPlaced.v1',
    stream: `bookshelf::order-${randomUUID()}`,
    kind: 'EVENT',
    payload,
    metadata: {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      time: new Date().toISOString(),
      version: 1,
      headers: {},
    },
    ...changes,
  });
const placed = (customerName: string) => ({
  orderId: randomUUID(),
  customerName,
  items: [],
  total: 0,
});
const STREAM_CASES: readonly StreamCase[] = [
  {
    name: 'invalid JSON',
    stream: 'external-orders',
    fields: ['data', '{"customer":'],
    reason: /not valid JSON/,
  },
  {
    name: 'no data field',
    stream: 'external-orders',
    fields: ['note', 'hello'],
    reason: /no data field/,
  },
  {
    name: '__proto__ key',
    stream: 'external-orders',
    fields: ['data', '{"__proto__":{"polluted":"yes"},"customer":"C","items":[]}'],
    reason: /Forbidden key "__proto__"/,
  },
  {
    name: 'constructor spelled with \\u escapes',
    stream: 'external-orders',
    fields: ['data', '{"customer":"C","items":[],"\\u0063onstructor":{"polluted":1}}'],
    reason: /Forbidden key "(constructor|prototype)"/,
  },
  {
    name: 'constructor key nested',
    stream: 'external-orders',
    fields: [
      'data',
      `{"customer":"C","items":[{"bookId":"${randomUUID()}","quantity":1,"constructor":{"prototype":{"polluted":"yes"}}}]}`,
    ],
    reason: /Forbidden key "(constructor|prototype)"/,
  },
  {
    name: '10,000 levels of nesting',
    stream: 'external-orders',
    fields: ['data', nested(10_000)],
    reason: /nested deeper than 100 levels/,
  },
  {
    name: 'the wrong shape',
    stream: 'external-orders',
    fields: ['data', '{"customer":42,"items":"many"}'],
    reason: /Invalid external order/,
  },
  {
    name: 'a customer just under max_payload_bytes',
    stream: 'external-orders',
    fields: ['data', JSON.stringify({ customer: 'x'.repeat(MAX_PAYLOAD - 100), items: [] })],
    reason: /customer must be shorter than or equal to 200/,
  },
  {
    name: 'an entry over max_payload_bytes',
    stream: 'external-orders',
    fields: ['data', JSON.stringify({ customer: 'x'.repeat(2 * MAX_PAYLOAD), items: [] })],
    reason: /over the 1048576-byte limit/,
  },
  {
    name: 'a customer with U+0000 (issue 12)',
    stream: 'external-orders',
    fields: ['data', JSON.stringify({ customer: 'nul\u0000byte', items: [] })],
    reason: /UnstorableValueError: .*customer: contains the NUL character/,
  },
  {
    name: 'a quantity no 64-bit number keeps (issue 12)',
    stream: 'external-orders',
    fields: [
      'data',
      `{"customer":"C","items":[{"bookId":"${randomUUID()}","quantity":9007199254740993}]}`,
    ],
    reason: /items\.0\.quantity: is an integer beyond/,
  },
  {
    name: 'invalid JSON',
    stream: 'bookshelf::order',
    fields: ['data', 'this is not json'],
    reason: /not valid JSON/,
  },
  {
    name: 'no data field',
    stream: 'bookshelf::order',
    fields: ['junk', '1'],
    reason: /no data field/,
  },
  {
    name: 'JSON that is not an envelope',
    stream: 'bookshelf::order',
    fields: ['data', '{"hello":"world"}'],
    reason: /Not a valid message envelope/,
  },
  {
    name: 'an envelope with a wrong kind and no metadata',
    stream: 'bookshelf::order',
    fields: ['data', envelope({ kind: 'QUERY', metadata: undefined })],
    reason: /Not a valid message envelope: kind/,
  },
  {
    name: 'an unknown message type',
    stream: 'bookshelf::order',
    fields: ['data', envelope({ type: 'bookshelf.Nonexistent.v1' })],
    reason: /Unknown message type "bookshelf.Nonexistent.v1"/,
  },
  {
    name: '__proto__ in the payload',
    stream: 'bookshelf::order',
    fields: [
      'data',
      envelope({}, { PROTO: { polluted: 'yes' } }).replace('"PROTO"', '"__proto__"'),
    ],
    reason: /Forbidden key "__proto__"/,
  },
  {
    name: 'constructor in the headers',
    stream: 'bookshelf::order',
    fields: [
      'data',
      envelope({}, placed('C')).replace('"headers":{}', '"headers":{"constructor":"x"}'),
    ],
    reason: /Forbidden key "constructor"/,
  },
  {
    name: '10,000 levels in the payload',
    stream: 'bookshelf::order',
    fields: ['data', envelope({}, { deep: 0 }).replace('"deep":0', `"deep":${nested(10_000)}`)],
    reason: /nested deeper than 100 levels/,
  },
  {
    name: 'an OrderPlaced with a lone surrogate (issue 12)',
    stream: 'bookshelf::order',
    fields: ['data', envelope({}, placed('\ud800'))],
    reason: /payload\.customerName: is not well-formed Unicode/,
  },
  {
    name: 'an OrderPlaced over max_payload_bytes',
    stream: 'bookshelf::order',
    fields: ['data', envelope({}, placed('x'.repeat(2 * MAX_PAYLOAD)))],
    reason: /over the 1048576-byte limit/,
  },
];

describe('scenario 10: hostile input', () => {
  let system: BookshelfSystem | undefined;
  let workdir: string;

  beforeAll(() => {
    workdir = mkdtempSync(join(tmpdir(), 'faults-hostile-'));
  });

  afterAll(async () => {
    await system?.stop();
    rmSync(workdir, { recursive: true, force: true });
  });

  /** Asks a process for its prototypes (test/support/bin/faults-prototype-probe.ts). */
  async function probe(process: NodeProcess) {
    const file = join(workdir, `${process.child.pid}.json`);
    const asked = Date.now();
    process.child.kill('SIGUSR2');
    return eventually(
      () => {
        if (!existsSync(file)) return undefined;
        const report = JSON.parse(readFileSync(file, 'utf8')) as {
          at: number;
          added: Record<string, string[]>;
          polluted: unknown;
        };
        return report.at >= asked ? report : undefined;
      },
      { ...PROCESS_POLL, what: `the prototype probe of pid ${process.child.pid}` },
    );
  }

  it('answers every hostile body with 400/413/415 naming the problem and dead-letters every hostile entry with a reason; nothing crashes, pollutes or is stored', async () => {
    system = await BookshelfSystem.start();
    const probed = {
      NODE_OPTIONS: `--import ${pathToFileURL(PROTOTYPE_PROBE).href}`,
      PROTOTYPE_PROBE_DIR: workdir,
    };
    const { url, process: api } = await system.startApi(probed);
    const worker = await system.startWorker(probed);
    const redis = system.redisClient();
    // The probe works: it answers, and sees nothing added yet.
    expect((await probe(api)).added.Object).toEqual([]);

    const answers = [];
    for (const hostile of HTTP_CASES) {
      const response = await fetch(`${url}${hostile.path}`, {
        method: 'POST',
        headers: hostile.type ? { 'content-type': hostile.type } : {},
        body: new TextEncoder().encode(hostile.body),
      });
      const text = await response.text();
      let message: unknown;
      try {
        message = (JSON.parse(text) as { message?: unknown }).message;
      } catch {
        message = undefined;
      }
      answers.push({
        name: hostile.name,
        status: response.status,
        message: typeof message === 'string' ? message : JSON.stringify(message),
      });
    }
    const clearAnswers = answers.filter(
      (answer, i) =>
        answer.status === HTTP_CASES[i].status && HTTP_CASES[i].message.test(answer.message),
    );

    const written = [];
    for (const hostile of STREAM_CASES) {
      written.push({ ...hostile, id: (await redis.xadd(hostile.stream, '*', ...hostile.fields))! });
    }
    const groupsOf = async (stream: string) =>
      ((await redis.xinfo('GROUPS', stream)) as unknown[][]).map((group) => String(group[1]));
    const groups = {
      'external-orders': await groupsOf('external-orders'),
      'bookshelf::order': await groupsOf('bookshelf::order'),
    };
    expect(groups).toEqual({
      'external-orders': ['ExternalOrdersSubscriber'],
      'bookshelf::order': expect.arrayContaining(['ReserveStockHandler', 'OrderSummaryProjector']),
    });
    const expectedLetters =
      STREAM_CASES.filter((c) => c.stream === 'external-orders').length *
        groups['external-orders'].length +
      STREAM_CASES.filter((c) => c.stream === 'bookshelf::order').length *
        groups['bookshelf::order'].length;
    const letters = async () => [
      ...(await deadLetterEntries(redis, 'external-orders')),
      ...(await deadLetterEntries(redis, 'bookshelf::order')),
    ];
    // On a timeout, go on: the row is recorded, and the assertions below say which entry failed.
    await eventually(async () => (await letters()).length >= expectedLetters, {
      timeoutMs: 20_000,
      intervalMs: 200,
      what: `${expectedLetters} dead letters`,
    }).catch(() => undefined);
    const lettered = await letters();
    const entryOutcomes = written.map((entry) => {
      const own = lettered.filter(
        (letter) => letter.stream === entry.stream && letter.originalId === entry.id,
      );
      const perGroup = groups[entry.stream].map(
        (group) => own.filter((letter) => letter.group === group).length,
      );
      return {
        name: `${entry.stream}: ${entry.name}`,
        perGroup,
        reasons: own.map((letter) => letter.error),
        attempts: own.map((letter) => letter.attempts),
        clear:
          perGroup.every((count) => count === 1) && own.every((l) => entry.reason.test(l.error)),
      };
    });

    // Nothing stored by any of it.
    const stored = await system.db.query<{
      aggregates: string;
      outbox: string;
      projections: string;
    }>(
      `SELECT (SELECT count(*) FROM aggregates) AS aggregates, (SELECT count(*) FROM outbox) AS outbox,
              (SELECT count(*) FROM projections) AS projections`,
    );
    // Inside the processes: no prototype touched.
    const probes = [await probe(api), await probe(worker)];
    const alive = [api, worker].every(
      (process) => process.child.exitCode === null && process.child.signalCode === null,
    );

    // Both processes still serve: a valid book, a valid order and a valid external order.
    const book = await postJson(`${url}/books`, {
      title: 'After',
      author: 'A',
      price: 10,
      stock: 5,
    });
    expect(book.status).toBe(202);
    const bookId = book.body.id as string;
    await eventually(async () => (await fetch(`${url}/books/${bookId}`)).ok, {
      ...PROCESS_POLL,
      timeoutMs: 20_000,
      what: 'the valid book in the catalog',
    });
    const placedOrder = await postJson(`${url}/orders`, {
      customer: 'Valid',
      items: [{ bookId, quantity: 1 }],
    });
    expect(placedOrder.status).toBe(202);
    const external = `External ${randomUUID()}`;
    await redis.xadd(
      'external-orders',
      '*',
      'data',
      JSON.stringify({ customer: external, items: [{ bookId, quantity: 1 }] }),
    );
    await eventually(
      async () => {
        const rows = await system!.db.query<{ customer: string; status: string }>(
          `SELECT document->>'customer' AS customer, document->>'status' AS status FROM projections WHERE name = 'order_summaries'`,
        );
        return rows.filter((row) => row.status === 'CONFIRMED').length === 2;
      },
      {
        ...PROCESS_POLL,
        timeoutMs: 20_000,
        what: 'the valid order and the valid external order confirmed',
      },
    );

    const sent = HTTP_CASES.length + STREAM_CASES.length;
    const completed = clearAnswers.length + entryOutcomes.filter((outcome) => outcome.clear).length;
    const duplicated = entryOutcomes.reduce(
      (sum, outcome) =>
        sum + outcome.perGroup.reduce((extra, count) => extra + Math.max(0, count - 1), 0),
      0,
    );
    const failed = [
      ...answers
        .filter((answer) => !clearAnswers.includes(answer))
        .map((a) => `HTTP ${a.name} → ${a.status}`),
      ...entryOutcomes.filter((outcome) => !outcome.clear).map((outcome) => outcome.name),
    ];
    recordScenario({
      scenario: 10,
      name: 'Hostile input: HTTP bodies and hand-written stream entries',
      sent,
      completed,
      lost: sent - completed,
      duplicated,
      note: failed.length
        ? `not clear: ${failed.join('; ')}`
        : `${HTTP_CASES.length} bodies (prototype keys top, nested and \\u-escaped, 10,000 levels, just under/over ` +
          `the 100 kB limit, U+0000, a lone surrogate, malformed, wrong content types) answered 400/413/415 naming the problem; ` +
          `${STREAM_CASES.length} entries on external-orders and bookshelf::order (invalid JSON, no data, ` +
          `prototype keys plain and \\u-escaped, 10,000 levels, wrong envelope, unknown type, over max_payload_bytes, ` +
          `values no database stores as sent: U+0000, a lone surrogate, 9007199254740993) ` +
          `dead-lettered once per group with the reason; no prototype changed in the API or worker, ` +
          `nothing stored, both processes up and serving valid messages afterwards`,
    });

    expect(answers).toEqual(
      HTTP_CASES.map((hostile) => ({
        name: hostile.name,
        status: hostile.status,
        message: expect.stringMatching(hostile.message),
      })),
    );
    for (const outcome of entryOutcomes) {
      expect({
        name: outcome.name,
        perGroup: outcome.perGroup,
        clear: outcome.clear,
        reasons: outcome.reasons,
      }).toEqual({
        name: outcome.name,
        perGroup: outcome.perGroup.map(() => 1),
        clear: true,
        reasons: outcome.reasons,
      });
      expect(outcome.attempts.every((attempts) => attempts === 1)).toBe(true);
    }
    expect(stored).toEqual([{ aggregates: '0', outbox: '0', projections: '0' }]);
    for (const report of probes) {
      expect(report).toMatchObject({
        added: { Object: [], Array: [], Function: [], String: [] },
        polluted: null,
      });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(alive).toBe(true);
  }, 120_000);
});
