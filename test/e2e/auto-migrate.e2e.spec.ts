import { BookshelfSystem, postJson } from '../support/bookshelf-system.js';
import { PROCESS_POLL } from '../support/processes.js';
import { eventually } from 'nestjs-protean/testing';

/**
 * Issue 14 §5: the chapter has no setup step. The API and the workers, started together on a
 * fresh empty database, create the schema themselves — once, under the migrations' advisory
 * lock — and all come up.
 */
describe('auto-migration at start', () => {
  let system: BookshelfSystem | undefined;

  afterEach(async () => {
    await system?.stop();
    system = undefined;
  });

  it('API and two workers started together on an empty database all come up; the schema is applied once', async () => {
    system = await BookshelfSystem.start({}, { dbSetup: false });
    expect(await system.db.query(`SELECT to_regclass('protean_migrations') AS t`)).toEqual([
      { t: null },
    ]);

    const [{ url }] = await Promise.all([
      system.startApi(),
      system.startWorker(),
      system.startWorker(),
    ]);

    const recorded = await system.db.query<{ name: string; times: string }>(
      'SELECT name, count(*) AS times FROM protean_migrations GROUP BY name ORDER BY name',
    );
    expect(recorded.map((row) => row.name)).toEqual([
      expect.stringMatching(/^CreateDomainTables\d+$/),
      expect.stringMatching(/^CreateOutbox\d+$/),
    ]);
    expect(recorded.every((row) => row.times === '1')).toBe(true);

    // Exactly one of the three says what it applied; the others found it done.
    const applied = system.processes.filter((process) =>
      /\(databases\.default\): applied CreateDomainTables\d+, CreateOutbox\d+/.test(
        process.stdout + process.stderr,
      ),
    );
    expect(applied).toHaveLength(1);

    // And the schema works: a book goes through the outbox, a worker and into the catalog.
    const created = await postJson(`${url}/books`, {
      title: 'Migrated',
      author: 'A. Author',
      price: 10,
    });
    expect(created.status).toBe(202);
    await eventually(async () => (await fetch(`${url}/books/${created.body.id}`)).status === 200, {
      ...PROCESS_POLL,
      timeoutMs: 20_000,
      what: 'the book in the catalog',
    });
  }, 120_000);
});
