import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { StreamBroker } from 'nestjs-protean';
import { eventually } from 'nestjs-protean/testing';
import { BookshelfSystem } from '../support/bookshelf-system.js';
import { ROOT } from '../support/processes.js';
import { redisBroker } from '../support/redis-broker.js';

/**
 * Issue 18, acceptance 3: the Observatory at an operator's scale, in a real browser (Debian's
 * chromium, headless) on the production setup's API — producer only, on PostgreSQL and Redis.
 * 2,000 dead letters: paged through, filtered by stream, handler and error text, and a filtered
 * selection replayed in bulk after the confirmation; the rest left where they were.
 */
const MINUTE = 60_000;
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test/artifacts');
const TOKEN = `token-${randomUUID()}`;
const LETTERS = 2000;
const STREAMS = ['bookshelf::book', 'bookshelf::order'];
const HANDLERS = ['CatalogProjector', 'OrderSummaryProjector', 'ReserveStockHandler'];

/** The n-th dead letter: its stream, handler and error, by a rule the test can select on. */
/** Orders two `<ms>-<seq>` ids. */
const compareIds = (a: string, b: string) => {
  const [x, y] = [a, b].map((id) => id.split('-').map(Number));
  return x[0] - y[0] || x[1] - y[1];
};

const letterOf = (n: number) => ({
  stream: STREAMS[n % 2],
  handler: HANDLERS[n % 3],
  error: n % 4 === 0 ? `Timeout: inventory did not answer in 5000 ms (#${n})` : `rule broken #${n}`,
});

describe('the Observatory with 2,000 dead letters', () => {
  let system: BookshelfSystem;
  let broker: StreamBroker;
  let browser: Browser;
  let page: Page;
  /** Each letter as `<DLQ id> <stream>`, in the order the Observatory lists them. */
  let ids: string[] = [];
  /** The number of each, in that order. */
  let numbers: number[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    system = await BookshelfSystem.start({ PROTEAN_OBSERVATORY__TOKEN: TOKEN });
    broker = redisBroker(system.redis.uri);
    const written: { n: number; id: string; stream: string }[] = [];
    for (let n = 0; n < LETTERS; n++) {
      const { stream, handler, error } = letterOf(n);
      const envelope = {
        id: randomUUID(),
        type: n % 2 === 0 ? 'bookshelf.BookAdded.v1' : 'bookshelf.OrderPlaced.v1',
        stream: `${stream}-${n}`,
        kind: 'EVENT',
        payload: { n, note: 'a value the list never shows' },
        metadata: {
          correlationId: `dlq-${n}`,
          causationId: `dlq-${n}`,
          time: new Date().toISOString(),
          version: 1,
          headers: {},
        },
      };
      written.push({
        n,
        stream,
        id: await broker.deadLetter(stream, JSON.stringify(envelope), {
          originalId: `${n + 1}-0`,
          group: handler,
          consumer: 'worker-1',
          error,
          attempts: 3,
          failedAt: new Date().toISOString(),
        }),
      });
    }
    // Oldest first, by id, then stream: ids of two streams can be equal.
    written.sort((a, b) => compareIds(a.id, b.id) || a.stream.localeCompare(b.stream));
    ids = written.map(({ id, stream }) => `${id} ${stream}`);
    numbers = written.map(({ n }) => n);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 2 * MINUTE);

  afterAll(async () => {
    await browser?.close();
    await broker?.close();
    await system?.stop();
  });

  const text = async (selector: string) => (await page.locator(selector).textContent()) ?? '';
  const rowIds = async (): Promise<string[]> => {
    const rows = page.locator('#dead-letters tbody tr');
    const ids = await Promise.all(
      Array.from({ length: await rows.count() }, async (_, n) => {
        const row = rows.nth(n);
        return `${await row.getAttribute('data-id')} ${await row.getAttribute('data-stream')}`;
      }),
    );
    return ids;
  };
  const untilText = (selector: string, wanted: string | RegExp, what: string) =>
    eventually(
      async () => {
        const now = await text(selector);
        return typeof wanted === 'string' ? now.includes(wanted) : wanted.test(now);
      },
      { timeoutMs: 15_000, intervalMs: 100, what },
    );

  it(
    'pages and filters them, replays a filtered selection in bulk after confirming it, and leaves the rest',
    async () => {
      const { url } = await system.startApi();
      page = await browser.newPage({ viewport: { width: 1440, height: 1800 } });
      try {
        await page.goto(`${url}/observatory?token=${TOKEN}`);
        await untilText('#dlq-count', '2,000 in all', 'the count of every dead letter');
        // A producer-only API: no engine of its own to show.
        expect(await text('#health')).not.toContain('engine here');

        // Paging, oldest first: 50 a page, forwards and back.
        await untilText('#dlq-page', /^1–50,/, 'the first page');
        expect(await rowIds()).toEqual(ids.slice(0, 50));
        const row = page.locator('#dead-letters tbody tr').first();
        const n = numbers[0];
        expect(await row.locator('td.message').textContent()).toContain(
          n % 2 === 0 ? 'bookshelf.BookAdded.v1' : 'bookshelf.OrderPlaced.v1',
        );
        expect(await row.locator('.summary').textContent()).toBe(
          `${letterOf(n).stream}-${n} · { n, note }`,
        );
        await page.click('#dlq-next');
        await page.click('#dlq-next');
        await untilText('#dlq-page', '101–150', 'the third page');
        expect(await rowIds()).toEqual(ids.slice(100, 150));
        await page.click('#dlq-prev');
        await untilText('#dlq-page', '51–100', 'the second page');
        expect(await rowIds()).toEqual(ids.slice(50, 100));

        // Filtered: the order stream (n odd), ReserveStockHandler (n % 3 = 2), errors saying
        // "rule broken" (n % 4 ≠ 0): 333 of the 2,000.
        const selected = ids.filter((_, at) => {
          const n = numbers[at];
          return n % 2 === 1 && n % 3 === 2 && n % 4 !== 0;
        });
        await page.selectOption('#dlq-filter select[name="stream"]', 'bookshelf::order');
        await page.selectOption('#dlq-filter select[name="handler"]', 'ReserveStockHandler');
        await page.fill('#dlq-filter input[name="error"]', 'RULE BROKEN');
        await page.click('#dlq-filter button[type="submit"]');
        await untilText('#dlq-count', `${selected.length} match`, 'the count of the selection');
        const seen: string[] = [];
        for (let pages = 0; pages < 20; pages++) {
          const first = new RegExp(`^${pages * 50 + 1}–`);
          await untilText('#dlq-page', first, `page ${pages + 1} of the selection`);
          seen.push(...(await rowIds()));
          if (await page.locator('#dlq-next').isDisabled()) break;
          await page.click('#dlq-next');
        }
        expect(seen).toEqual(selected);

        // Bulk replay of the selection, after the confirmation saying what and how many.
        const question = new Promise<string>((resolve) =>
          page.once('dialog', (dialog) => {
            resolve(dialog.message());
            void dialog.accept();
          }),
        );
        const before = (await broker.streamInfo('bookshelf::order')).length;
        await page.click('#dlq-replay-all');
        expect(await question).toBe(
          `Replay ${selected.length} dead letter(s) of stream bookshelf::order given up by ` +
            'ReserveStockHandler with an error containing "RULE BROKEN"?',
        );
        await untilText('#dlq-progress', `replayed ${selected.length}`, 'the bulk replay');
        await untilText('#dlq-count', '0 match', 'the selection emptied');
        expect((await broker.streamInfo('bookshelf::order')).length).toBe(before + selected.length);
        const left = await broker.listDeadLetters(undefined, 10_000);
        expect(left.map((l) => `${l.id} ${l.stream}`)).toEqual(
          ids.filter((id) => !selected.includes(id)),
        );

        await page.click('#dlq-filter button[type="reset"]');
        await untilText(
          '#dlq-count',
          `${(LETTERS - selected.length).toLocaleString('en-US')} in all`,
          'the rest',
        );
        // The handlers' last hour: two samples make a line.
        await page.locator('#handlers td.history svg.spark').first().waitFor({ timeout: 30_000 });
        await page.screenshot({
          path: join(ARTIFACTS, 'observatory-dead-letters.png'),
          fullPage: true,
        });
      } catch (error) {
        await page
          .screenshot({ path: join(ARTIFACTS, 'observatory-scale-failure.png'), fullPage: true })
          .catch(() => undefined);
        throw error;
      }
    },
    4 * MINUTE,
  );
});
