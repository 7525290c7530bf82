import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BookshelfSystem } from '../support/bookshelf-system.js';
import {
  CLI_MAIN,
  freePort,
  NodeProcess,
  TEST_WORKER_MAIN,
  PROCESS_POLL,
} from '../support/processes.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import { eventually } from 'nestjs-protean/testing';

/**
 * Issue 8: operating the production setup — real API and worker processes on PostgreSQL and
 * Redis — through /metrics, JSON logs, /health and the CLI, after real traffic: books, an
 * order, and a poisoned event that is retried and dead-lettered.
 */
const MINUTE = 60_000;

const EVERY_METRIC = [
  'protean_messages_processed_total',
  'protean_messages_failed_total',
  'protean_messages_retried_total',
  'protean_messages_dead_lettered_total',
  'protean_handler_duration_seconds',
  'protean_consumer_lag',
  'protean_consumer_pending',
  'protean_consumer_workers',
  'protean_stream_length',
  'protean_dead_letters',
  'protean_outbox_messages',
  'protean_outbox_oldest_pending_age_seconds',
  'protean_broker_up',
  'protean_database_up',
  'protean_event_store_up',
  'protean_engine_running',
];

interface LogLine {
  level: number;
  msg: string;
  context?: string;
  correlationId?: string;
  messageId?: string;
  handler?: string;
}

function jsonLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

async function post(url: string, body: unknown, correlationId: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function scrape(url: string) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return parsePrometheusText(await response.text());
}

describe('operating the bookshelf: metrics, logs, health and the CLI', () => {
  let system: BookshelfSystem;
  let workdir: string;
  let fault: { FAULT_FILE: string; FAULT_LOG: string; FAULT_TITLE: string };
  let api: { process: NodeProcess; url: string };
  let worker: NodeProcess;
  let workerUrl: string;
  const orderCorrelation = `order-${randomUUID()}`;
  const customer = `Customer ${randomUUID()}`;

  beforeAll(async () => {
    workdir = mkdtempSync(join(tmpdir(), 'operations-e2e-'));
    fault = {
      FAULT_FILE: join(workdir, 'fault'),
      FAULT_LOG: join(workdir, 'log'),
      FAULT_TITLE: 'Poison',
    };
    writeFileSync(fault.FAULT_FILE, 'on');
    system = await BookshelfSystem.start({ ...fault, LOG_FORMAT: 'json' });
    api = await system.startApi();
    const workerPort = await freePort();
    workerUrl = `http://127.0.0.1:${workerPort}`;
    worker = await system.startWorker(
      { PROTEAN_SERVER__HEALTH__PORT: String(workerPort) },
      TEST_WORKER_MAIN,
    );

    const book = (title: string) => ({ title, author: 'A. Author', price: 10, stock: 5 });
    const bookId = await post(`${api.url}/books`, book('Good A'), `book-${randomUUID()}`);
    await post(`${api.url}/books`, book('Poison'), `book-${randomUUID()}`);
    await post(`${api.url}/books`, book('Good B'), `book-${randomUUID()}`);
    await eventually(async () => (await fetch(`${api.url}/books/${bookId}`)).ok, {
      ...PROCESS_POLL,
      what: 'the first book',
    });
    await post(
      `${api.url}/orders`,
      { customer, items: [{ bookId, quantity: 1 }] },
      orderCorrelation,
    );
    await eventually(async () => (await system.orderTotals()).confirmed === 1, {
      ...PROCESS_POLL,
      timeoutMs: 20_000,
      what: 'the order confirmed',
    });
    await eventually(async () => (await system.redisClient().xlen('bookshelf::book:dlq')) === 1, {
      timeoutMs: 30_000,
      intervalMs: 200,
      what: 'the poisoned event dead-lettered',
    });
    await eventually(
      async () => {
        const outbox = await system.outboxByStatus();
        return Object.keys(outbox).length === 1 && outbox.published > 0;
      },
      { ...PROCESS_POLL, what: 'every outbox row published' },
    );
  }, 2 * MINUTE);

  afterAll(async () => {
    await system?.stop();
    rmSync(workdir, { recursive: true, force: true });
  });

  it('the worker exposes every metric, counting what its engine did', async () => {
    const { samples, names } = await scrape(`${workerUrl}/metrics`);
    for (const name of EVERY_METRIC) expect(names).toContain(name);
    const flaky = { handler: 'FlakyBookHandler', stream: 'bookshelf::book' };
    const value = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(samples, name, labels);

    expect(
      value('protean_messages_processed_total', {
        handler: 'AddBookHandler',
        stream: 'bookshelf::book:command',
      }),
    ).toBe(3);
    expect(
      value('protean_messages_processed_total', {
        handler: 'ReserveStockHandler',
        stream: 'bookshelf::order',
      }),
    ).toBe(1);
    expect(value('protean_messages_processed_total', flaky)).toBe(2);
    expect(value('protean_messages_failed_total', flaky)).toBe(4); // 1 + max_retries (3)
    expect(value('protean_messages_retried_total', flaky)).toBe(3);
    expect(value('protean_messages_dead_lettered_total', flaky)).toBe(1);
    expect(value('protean_handler_duration_seconds_count', flaky)).toBe(2);
    expect(value('protean_handler_duration_seconds_bucket', { ...flaky, le: '+Inf' })).toBe(2);

    const group = { broker: 'default', stream: 'bookshelf::book', group: 'CatalogProjector' };
    expect(value('protean_consumer_lag', group)).toBe(0);
    expect(value('protean_consumer_pending', group)).toBe(0);
    expect(value('protean_stream_length', { stream: 'bookshelf::book' })).toBeGreaterThanOrEqual(3);
    expect(value('protean_dead_letters', { stream: 'bookshelf::book' })).toBe(1);
    expect(value('protean_dead_letters', { stream: 'bookshelf::order' })).toBe(0);

    expect(value('protean_outbox_messages', { status: 'published' })).toBeGreaterThanOrEqual(10);
    for (const status of ['pending', 'processing', 'failed', 'abandoned'])
      expect(value('protean_outbox_messages', { status })).toBe(0);
    expect(value('protean_outbox_oldest_pending_age_seconds')).toBe(0);
    expect(value('protean_broker_up', { broker: 'default', provider: 'redis' })).toBe(1);
    expect(value('protean_database_up', { provider: 'postgresql' })).toBe(1);
    expect(value('protean_event_store_up', { provider: 'memory' })).toBe(1);
    expect(value('protean_engine_running')).toBe(1);
  });

  it('the API exposes every metric: the shared state from broker and database, no engine counts', async () => {
    const { samples, names } = await scrape(`${api.url}/metrics`);
    for (const name of EVERY_METRIC) expect(names).toContain(name);
    expect(sampleValue(samples, 'protean_dead_letters', { stream: 'bookshelf::book' })).toBe(1);
    expect(
      sampleValue(samples, 'protean_consumer_lag', {
        stream: 'bookshelf::order',
        group: 'ReserveStockHandler',
      }),
    ).toBe(0);
    expect(
      sampleValue(samples, 'protean_outbox_messages', { status: 'published' }),
    ).toBeGreaterThanOrEqual(10);
    expect(sampleValue(samples, 'protean_broker_up', { broker: 'default' })).toBe(1);
    expect(sampleValue(samples, 'protean_database_up')).toBe(1);
    expect(sampleValue(samples, 'protean_engine_running')).toBe(0);
    expect(sampleValue(samples, 'protean_messages_processed_total')).toBeUndefined();
  });

  it("logs the HTTP request's correlation id on the handler's lines, and no payloads", () => {
    const handlerLine = jsonLines(worker.stdout).find(
      (line) => line.context === 'ReserveStockHandler' && line.correlationId === orderCorrelation,
    );
    expect(handlerLine).toMatchObject({
      level: 30,
      handler: 'ReserveStockHandler',
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      msg: expect.stringMatching(/^Order [0-9a-f-]{36} confirmed/),
    });
    expect(handlerLine!.messageId).not.toBe(orderCorrelation);

    const requestLine = jsonLines(api.process.stdout).find(
      (line) => line.msg === 'POST /orders 202',
    );
    expect(requestLine?.correlationId).toBe(orderCorrelation);
    for (const output of [worker.stdout, api.process.stdout])
      expect(output).not.toContain(customer);
  });

  it(
    '`protean observatory --port P` serves the Observatory on its own, with the same numbers',
    async () => {
      const port = await freePort();
      const observatory = new NodeProcess(CLI_MAIN, ['observatory', '--port', String(port)], {
        ...system.env,
      });
      try {
        const overview = await eventually(
          async (): Promise<
            { subscriptions: unknown[]; streams: unknown[]; workers: unknown[] | null } | undefined
          > => {
            const response = await fetch(`http://127.0.0.1:${port}/observatory/api/overview`);
            return response.ok ? ((await response.json()) as never) : undefined;
          },
          { ...PROCESS_POLL, timeoutMs: 30_000, what: 'the standalone Observatory' },
        );
        expect(overview.subscriptions).toContainEqual(
          expect.objectContaining({
            handler: 'CatalogProjector',
            stream: 'bookshelf::book',
            processed: 4, // three BookAdded and one StockReserved
            lag: 0,
            workers: [expect.any(String)], // the one worker, which runs every handler
          }),
        );
        expect(overview.streams).toContainEqual(
          expect.objectContaining({ stream: 'bookshelf::book', deadLetters: 1 }),
        );
        expect(overview.workers).toEqual([
          expect.objectContaining({
            pool: null,
            handlers: expect.arrayContaining(['FlakyBookHandler']),
          }),
        ]);
        expect((await fetch(`http://127.0.0.1:${port}/observatory`)).status).toBe(200);
        // An id beyond Redis's 64-bit parts is no dead letter (404), not a broker failure (503).
        const outOfRange = new URLSearchParams({
          broker: 'default',
          stream: 'bookshelf::book',
          id: '99999999999999999999999-0',
        });
        const inspect = await fetch(
          `http://127.0.0.1:${port}/observatory/api/dead-letters/inspect?${outOfRange.toString()}`,
        );
        expect(inspect.status).toBe(404);
      } finally {
        expect(await observatory.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      }
    },
    MINUTE,
  );

  it('the worker serves /health (terminus), /readyz and /healthz', async () => {
    const health = await fetch(`${workerUrl}/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { status: string; details: Record<string, any> };
    expect(body.status).toBe('ok');
    expect(body.details).toMatchObject({
      lifecycle: { status: 'up' },
      database: { status: 'up', provider: 'postgresql' },
      'broker:default': { status: 'up', provider: 'redis' },
      engine: { status: 'up', state: 'running' },
      outbox: { status: 'up', backlog: 0 },
    });
    expect((await fetch(`${workerUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${workerUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${workerUrl}/nothing`)).status).toBe(404);
  });

  it(
    'the CLI shows subscriptions and the outbox as tables or JSON, and replays with progress',
    async () => {
      const table = await system.cli('subscriptions', 'status');
      expect(table).toMatchObject({ code: 0, stderr: '' });
      expect(table.stdout).toMatch(
        /^HANDLER\s+STREAM\s+TYPE\s+PROFILE\s+BROKER\s+WORKERS\s+LAG\s+PENDING\s+PROCESSED\s+DLQ$/m,
      );
      expect(table.stdout).toMatch(
        /^CatalogProjector\s+bookshelf::book\s+stream\s+production\s+default\s+1\s+0\s+0\s+4\s+1$/m,
      );
      // A group of the test worker's own handler, which this CLI's domain lacks, is shown too.
      expect(table.stdout).toMatch(
        /^FlakyBookHandler\*\s+bookshelf::book\s+stream\s+-\s+default\s+1\s+0\s+0\s+4\s+1$/m,
      );
      const json = JSON.parse((await system.cli('subscriptions', 'status', '--json')).stdout);
      expect(json.subscriptions).toContainEqual(
        expect.objectContaining({
          handler: 'ReserveStockHandler',
          stream: 'bookshelf::order',
          lag: 0,
          pending: 0,
          planned: true,
          processed: 2, // OrderPlaced and OrderConfirmed: every message of the stream, handled or not
        }),
      );

      const outbox = await system.cli('outbox', 'status');
      expect(outbox.stdout).toMatch(/^STATUS\s+ROWS$/m);
      expect(outbox.stdout).toMatch(/^pending\s+0$/m);

      rmSync(fault.FAULT_FILE);
      const replay = await system.cli('dlq', 'replay-all', '--all', '--yes');
      expect(replay).toMatchObject({ code: 0, stdout: 'Replayed 1 dead letter(s).\n' });
      expect(replay.stderr).toBe('replaying: 1/1\n'); // not a terminal: plain lines, no bar
      await eventually(
        () => lines(fault.FAULT_LOG).filter((line) => line.startsWith('processed')).length === 3,
        { ...PROCESS_POLL, what: 'the replayed event processed' },
      );
      const { samples } = await scrape(`${workerUrl}/metrics`);
      expect(
        sampleValue(samples, 'protean_messages_processed_total', {
          handler: 'FlakyBookHandler',
          stream: 'bookshelf::book',
        }),
      ).toBe(3);
    },
    MINUTE,
  );
});
