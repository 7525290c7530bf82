import { eventually } from 'nestjs-protean/testing';
import { BookshelfSystem, postJson } from '../support/bookshelf-system.js';
import { CLI_MAIN, freePort, NodeProcess, PROCESS_POLL, runToExit } from '../support/processes.js';

/**
 * Issue 17 §2: worker pools by handler. Two workers on PostgreSQL and Redis, each running part
 * of the bookshelf's handlers (`server.handlers` from the environment, `--exclude` on the CLI);
 * `subscriptions status` shows which worker runs what, and names a handler no running worker
 * serves — whose messages wait for one instead of being taken by a worker outside its pool.
 */
describe('worker pools by handler', () => {
  let system: BookshelfSystem;
  let api: string;

  beforeAll(async () => {
    system = await BookshelfSystem.start();
    api = (await system.startApi()).url;
  });

  afterAll(() => system.stop());

  interface StatusJson {
    subscriptions: Array<{ handler: string; stream: string; lag: number; workers: string[] }>;
    workers: Array<{ consumer: string; handlers: string[]; pool: string | null }>;
  }

  const status = async (): Promise<{ table: string; json: StatusJson }> => {
    const table = await system.cli('subscriptions', 'status');
    expect(table).toMatchObject({ code: 0, stderr: '' });
    const json = await system.cli('subscriptions', 'status', '--json');
    return { table: table.stdout, json: JSON.parse(json.stdout) as StatusJson };
  };

  const addBook = async (title: string) =>
    (await postJson(`${api}/books`, { title, author: 'A', price: 1, stock: 1 })).body.id as string;
  const inCatalog = async (id: string) => (await fetch(`${api}/books/${id}`)).status === 200;

  it('refuses a handler name no handler has, naming the key and the nearest name (exit 78)', async () => {
    const typo = await system.cli('server', '--handlers', 'CatalogProjektor');
    expect(typo.code).toBe(78);
    expect(typo.stderr).toContain('server.handlers');
    expect(typo.stderr).toContain('did you mean "CatalogProjector"');
    const port = await freePort();
    const everything = await runToExit(CLI_MAIN, ['server'], {
      ...system.env,
      PROTEAN_SERVER__HEALTH__PORT: String(port),
      PROTEAN_SERVER__HANDLERS: 'CatalogProjector',
      PROTEAN_SERVER__EXCLUDE: 'catalogprojector',
    });
    expect(everything.code).toBe(78);
    expect(everything.stderr).toContain('server.exclude');
    expect(everything.stderr).toContain('leaves this worker no handler to run');
  });

  it('shows which worker runs what, and the handler no running worker serves', async () => {
    const catalogWorker = await system.startWorker({
      PROTEAN_SERVER__HANDLERS: 'CatalogProjector',
    });
    const port = await freePort();
    const rest = new NodeProcess(
      CLI_MAIN,
      ['server', '--exclude', 'CatalogProjector,OrderSummaryProjector'],
      { ...system.env, PROTEAN_SERVER__HEALTH__PORT: String(port) },
    );
    try {
      await rest.answering(`http://127.0.0.1:${port}/readyz`, 'the second pool');

      const { table, json } = await status();
      expect(table).toMatch(/^HANDLER\s+STREAM\s+TYPE\s+PROFILE\s+BROKER\s+WORKERS\s+LAG/m);
      expect(table).toMatch(/^CatalogProjector\s+bookshelf::book\s+stream\s+\S+\s+default\s+1\s/m);
      expect(table).toMatch(/^OrderSummaryProjector!\s+\S+\s+stream\s+\S+\s+default\s+0\s/m);
      expect(table).toMatch(/^ReserveStockHandler\s+\S+\s+stream\s+\S+\s+default\s+1\s/m);
      expect(table).toContain('! no running worker serves OrderSummaryProjector');
      expect(table).toMatch(/handlers CatalogProjector\s+1\s/);
      expect(table).toMatch(/exclude CatalogProjector, OrderSummaryProjector\s+\d+\s/);

      expect(json.workers).toHaveLength(2);
      const pools = Object.fromEntries(json.workers.map((w) => [w.pool, w.handlers]));
      expect(pools['handlers CatalogProjector']).toEqual(['CatalogProjector']);
      const others = pools['every handler; exclude CatalogProjector, OrderSummaryProjector'];
      expect(others).toContain('ReserveStockHandler');
      expect(others).not.toContain('CatalogProjector');
      expect(others).not.toContain('OrderSummaryProjector');

      // The catalog is kept by its pool while it runs.
      const first = await addBook('Pooled');
      await eventually(() => inCatalog(first), {
        ...PROCESS_POLL,
        what: 'the catalog pool to project the first book',
      });

      // Its pool stopped: the other worker leaves its messages alone, and the CLI says so.
      expect(await catalogWorker.stop()).toEqual({ code: 0, signal: null });
      const second = await addBook('Waiting');
      await eventually(
        async () => {
          const { json: now } = await status();
          const catalog = now.subscriptions.find((s) => s.handler === 'CatalogProjector');
          return catalog?.lag !== undefined && catalog.lag > 0 && catalog.workers.length === 0;
        },
        { ...PROCESS_POLL, what: "the catalog's messages to wait, unserved" },
      );
      expect(await inCatalog(second)).toBe(false);
      expect((await status()).table).toContain(
        '! no running worker serves CatalogProjector, OrderSummaryProjector',
      );
    } finally {
      await rest.stop();
    }
  });
});
