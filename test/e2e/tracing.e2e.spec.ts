import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eventually } from 'nestjs-protean/testing';
import { BookshelfSystem, postJson } from '../support/bookshelf-system.js';
import { OTEL_PRELOAD, PROCESS_POLL, TEST_WORKER_MAIN } from '../support/processes.js';
import type { SpanLine } from '../support/bin/otel-preload.js';

/**
 * Issue 18 §1: OpenTelemetry traces across every hop. The API and a worker run as real
 * processes on PostgreSQL and Redis with an SDK preloaded (test/support/bin/otel-preload.ts: what
 * an application's set-up does), each writing its finished spans to a file of its own.
 */
const PRODUCER = 3;
const CONSUMER = 4;
const ERROR = 2;

const readSpans = (file: string): SpanLine[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as SpanLine)
    : [];

const groupOf = (span: SpanLine) => span.attributes['messaging.consumer.group.name'] as string;
const typeOf = (span: SpanLine) => (span.attributes['protean.message.type'] as string) ?? '';

describe('traces across the API and worker processes', () => {
  let system: BookshelfSystem;
  let workdir: string;
  let api: string;
  const files = { api: '', worker: '' };
  /** Both processes' spans, each with the process it came from. */
  const allSpans = () => [
    ...readSpans(files.api).map((span) => ({ ...span, origin: 'api' })),
    ...readSpans(files.worker).map((span) => ({ ...span, origin: 'worker' })),
  ];

  beforeAll(async () => {
    workdir = mkdtempSync(join(tmpdir(), 'tracing-e2e-'));
    files.api = join(workdir, 'api-spans.jsonl');
    files.worker = join(workdir, 'worker-spans.jsonl');
    const fault = {
      FAULT_FILE: join(workdir, 'fault'),
      FAULT_LOG: join(workdir, 'log'),
      FAULT_TITLE: 'Poison',
    };
    writeFileSync(fault.FAULT_FILE, 'on');
    const preload = { NODE_OPTIONS: `--import ${pathToFileURL(OTEL_PRELOAD).href}` };
    system = await BookshelfSystem.start(fault);
    api = (await system.startApi({ ...preload, OTEL_SPANS_FILE: files.api })).url;
    await system.startWorker({ ...preload, OTEL_SPANS_FILE: files.worker }, TEST_WORKER_MAIN);
  });

  afterAll(async () => {
    await system?.stop();
    rmSync(workdir, { recursive: true, force: true });
  });

  const addBook = async (title: string) =>
    (await postJson(`${api}/books`, { title, author: 'A. Author', price: 10, stock: 5 })).body
      .id as string;

  it('follows one POST /orders in one trace: accept → commit → send → process → handler → … → the projector that confirms it', async () => {
    const bookId = await addBook('Traced');
    await eventually(async () => (await fetch(`${api}/books/${bookId}`)).status === 200, {
      ...PROCESS_POLL,
      what: 'the book in the catalog',
    });
    const correlationId = `traced-${Date.now()}`;
    const placed = await fetch(`${api}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId },
      body: JSON.stringify({ customer: 'Tracy', items: [{ bookId, quantity: 1 }] }),
    });
    expect(placed.status).toBe(202);
    await eventually(async () => (await system.orderTotals()).confirmed === 1, {
      ...PROCESS_POLL,
      what: 'the order CONFIRMED',
    });

    const accepted = readSpans(files.api).filter(
      (span) => span.name === 'process command PlaceOrder',
    );
    expect(accepted).toHaveLength(1);
    const { traceId } = accepted[0];
    const confirming = <S extends SpanLine>(spans: S[]) =>
      spans.find(
        (span) =>
          span.kind === CONSUMER &&
          groupOf(span) === 'OrderSummaryProjector' &&
          typeOf(span).includes('OrderConfirmed'),
      );
    const trace = await eventually(
      () => {
        const spans = allSpans().filter((span) => span.traceId === traceId);
        return confirming(spans) ? spans : undefined;
      },
      { ...PROCESS_POLL, what: "the projector's span in the order's trace" },
    );

    // One trace over both processes, its parent links intact: one root, the command's acceptance.
    expect(new Set(trace.map((span) => span.origin))).toEqual(new Set(['api', 'worker']));
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const roots = trace.filter((span) => span.parentSpanId === undefined);
    expect(roots.map(({ spanId }) => spanId)).toEqual([accepted[0].spanId]);
    for (const span of trace) {
      if (span.parentSpanId !== undefined) expect(byId.get(span.parentSpanId)).toBeDefined();
    }

    // The Observatory's trail of the request names its trace, from the messages' headers.
    const trail = (await (
      await fetch(`${api}/observatory/api/trail?correlationId=${correlationId}`)
    ).json()) as { traceIds: string[]; count: number };
    expect(trail.count).toBeGreaterThanOrEqual(3);
    expect(trail.traceIds).toEqual([traceId]);

    // The API: the command's unit of work commits under the acceptance, its row is sent.
    const apiCommit = trace.find(
      (span) =>
        span.origin === 'api' && span.name === 'commit' && span.parentSpanId === accepted[0].spanId,
    );
    expect(apiCommit).toBeDefined();
    const commandSend = trace.find(
      (span) => span.kind === PRODUCER && span.name === 'send bookshelf::order:command',
    );
    expect(commandSend).toMatchObject({
      parentSpanId: accepted[0].spanId,
      links: [{ traceId, spanId: apiCommit!.spanId }],
      attributes: {
        'messaging.system': 'redis',
        'messaging.operation.type': 'send',
        'messaging.destination.name': 'bookshelf::order:command',
      },
    });

    // The worker continues it: a delivery of the command to PlaceOrderHandler, then its run.
    const delivery = trace.find(
      (span) => span.kind === CONSUMER && groupOf(span) === 'PlaceOrderHandler',
    );
    expect(delivery).toMatchObject({
      origin: 'worker',
      name: 'process bookshelf::order:command',
      parentSpanId: accepted[0].spanId,
      attributes: {
        'messaging.system': 'redis',
        'messaging.operation.type': 'process',
        'messaging.destination.name': 'bookshelf::order:command',
        'messaging.consumer.group.name': 'PlaceOrderHandler',
        'messaging.message.id': commandSend!.attributes['messaging.message.id'],
        'protean.attempt': 1,
      },
    });
    const handled = trace.find((span) => span.parentSpanId === delivery!.spanId);
    expect(handled).toMatchObject({ name: 'handle bookshelf.PlaceOrder.v1' });

    // Every delivery in the trace was sent: publish → deliver, for each message on the way.
    const deliveries = trace.filter((span) => span.kind === CONSUMER);
    for (const consumed of deliveries) {
      const id = consumed.attributes['messaging.message.id'];
      const sent = trace.find(
        (span) => span.kind === PRODUCER && span.attributes['messaging.message.id'] === id,
      );
      expect(sent).toMatchObject({ parentSpanId: consumed.parentSpanId });
    }

    // The projector that marks it CONFIRMED descends from PlaceOrderHandler's delivery.
    const ancestors: string[] = [];
    for (let span = confirming(trace); span; span = byId.get(span.parentSpanId ?? '')) {
      ancestors.push(`${span.name} ${groupOf(span) ?? ''}`.trim());
    }
    expect(ancestors.at(-1)).toBe('process command PlaceOrder');
    expect(ancestors).toContain('process bookshelf::order:command PlaceOrderHandler');
    expect(ancestors).toContain('handle bookshelf.PlaceOrder.v1');
    expect(ancestors.filter((name) => name === 'commit').length).toBeGreaterThanOrEqual(2);
  });

  it('shows each attempt of a retried message, and the dead letter as an event', async () => {
    await addBook('Poison');
    await eventually(
      async () => {
        const listed = await system.cli('dlq', 'list', '--json');
        return (JSON.parse(listed.stdout) as unknown[]).length > 0;
      },
      { timeoutMs: 45_000, intervalMs: 500, what: 'the poisoned event in the DLQ' },
    );
    const attempts = await eventually(
      () => {
        const spans = readSpans(files.worker).filter(
          (span) =>
            span.kind === CONSUMER &&
            groupOf(span) === 'FlakyBookHandler' &&
            span.status.code === ERROR,
        );
        return spans.some((span) => span.events.some(({ name }) => name === 'dead_lettered'))
          ? spans
          : undefined;
      },
      { ...PROCESS_POLL, what: 'the dead-lettered attempt span' },
    );
    // 1 + max_retries (3) of the production profile, each a span of its own in the book's trace.
    expect(attempts.map((span) => span.attributes['protean.attempt'])).toEqual([1, 2, 3, 4]);
    expect(new Set(attempts.map((span) => span.traceId)).size).toBe(1);
    expect(new Set(attempts.map((span) => span.parentSpanId)).size).toBe(1);
    for (const attempt of attempts) {
      expect(attempt).toMatchObject({
        name: 'process bookshelf::book',
        status: { code: ERROR, message: expect.stringContaining('poisoned book') },
      });
      expect(attempt.events.map(({ name }) => name)).toContain('exception');
    }
    expect(attempts.slice(0, 3).map((span) => span.events.at(-1)?.name)).toEqual([
      'retry_scheduled',
      'retry_scheduled',
      'retry_scheduled',
    ]);
    expect(attempts[3].events.at(-1)).toMatchObject({
      name: 'dead_lettered',
      attributes: {
        'protean.dead_letter.reason': expect.stringContaining('poisoned book'),
        'protean.dead_letter.stream': 'bookshelf::book:dlq',
        'protean.attempt': 4,
      },
    });
    // The book's trace starts at its acceptance in the API.
    const accepted = readSpans(files.api).find(
      (span) => span.traceId === attempts[0].traceId && span.parentSpanId === undefined,
    );
    expect(accepted).toMatchObject({ name: 'process command AddBook' });
  });
});
