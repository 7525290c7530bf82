import { BookshelfSystem, postJson } from '../support/bookshelf-system.js';
import type { NodeProcess } from '../support/processes.js';
import { PROCESS_POLL } from '../support/processes.js';
import { eventually } from 'nestjs-protean/testing';

/**
 * Issue 14 §2: the `debug` profile is "verbose logging for development" — its handlers log
 * each message's receipt, outcome with duration, and ack at `info`, one readable line each in
 * the pretty format, without changing the global level; the top-level `debug = true` key turns
 * debug-level logs on, unless LOG_LEVEL says otherwise.
 */
describe('debug logging', () => {
  let system: BookshelfSystem;
  let url: string;

  beforeAll(async () => {
    system = await BookshelfSystem.start();
    ({ url } = await system.startApi());
  }, 60_000);

  afterAll(() => system?.stop());

  /** Pretty text, the global level left to its default (no LOG_LEVEL from the test's shell). */
  const PRETTY = { LOG_FORMAT: 'pretty', LOG_LEVEL: undefined, NO_COLOR: '1' };
  const lines = (worker: NodeProcess) => worker.stdout.split('\n').filter(Boolean);
  const debugLines = (worker: NodeProcess) => lines(worker).filter((line) => / DEBUG: /.test(line));

  async function addBook(title: string): Promise<string> {
    const created = await postJson(`${url}/books`, { title, author: 'A. Author', price: 10 });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    await eventually(async () => (await fetch(`${url}/books/${id}`)).status === 200, {
      ...PROCESS_POLL,
      timeoutMs: 20_000,
      what: `${title} in the catalog`,
    });
    return id;
  }

  it('a handler on the debug profile logs receipt, outcome and duration, and ack at info; the others do not', async () => {
    const worker = await system.startWorker({
      ...PRETTY,
      PROTEAN_SERVER__SUBSCRIPTIONS__CATALOGPROJECTOR__SUBSCRIPTION_PROFILE: 'debug',
    });
    await addBook('Traced');
    await eventually(() => / CatalogProjector acked /.test(worker.stdout), {
      ...PROCESS_POLL,
      what: "the projector's ack line",
    });
    await worker.stop();

    const traced = lines(worker).filter((line) =>
      /\] CatalogProjector (received|handled|failed|acked) /.test(line),
    );
    const entry = String.raw`(\S*BookAdded\S*) (\d+-\d+)`;
    expect(traced).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^\[[\d:.]+\] INFO: \[Subscription CatalogProjector bookshelf::book\] CatalogProjector received ${entry} \(attempt 1\)`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          String.raw`INFO: .* CatalogProjector handled ${entry} in \d+\.\d ms \(attempt 1\)`,
        ),
      ),
      expect.stringMatching(new RegExp(String.raw`INFO: .* CatalogProjector acked ${entry}`)),
    ]);
    // One message: the same type and entry id on the three lines.
    const ids = traced.map((line) => new RegExp(entry).exec(line)?.slice(1).join(' '));
    expect(new Set(ids).size).toBe(1);

    // Handlers on other profiles: no per-message lines; the global level is still info.
    expect(worker.stdout).not.toMatch(/(AddBookHandler|OrderSummaryProjector) (received|acked) /);
    expect(debugLines(worker)).toEqual([]);
  }, 60_000);

  it('debug = true turns debug-level logs on; LOG_LEVEL, when set, wins', async () => {
    const debugging = await system.startWorker({ ...PRETTY, PROTEAN_DEBUG: 'true' });
    await addBook('Debugged');
    await debugging.stop();
    expect(debugLines(debugging)).toContainEqual(
      expect.stringMatching(/DEBUG: \[Subscription CatalogProjector bookshelf::book\] Reading as /),
    );
    expect(debugLines(debugging)).toContainEqual(
      expect.stringMatching(/DEBUG: .* \d+-\d+ handled in \d+\.\d ms \(attempt 1\)/),
    );
    // The production profile still: no per-message info lines.
    expect(debugging.stdout).not.toMatch(/ (received|acked) \S*BookAdded/);

    const explicit = await system.startWorker({
      ...PRETTY,
      PROTEAN_DEBUG: 'true',
      LOG_LEVEL: 'info',
    });
    await explicit.stop();
    expect(lines(explicit).length).toBeGreaterThan(0);
    expect(debugLines(explicit)).toEqual([]);
  }, 60_000);
});
