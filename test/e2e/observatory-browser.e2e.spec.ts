import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BookshelfSystem } from '../support/bookshelf-system.js';
import { ROOT, TEST_WORKER_MAIN, PROCESS_POLL } from '../support/processes.js';
import { eventually } from 'nestjs-protean/testing';

/**
 * Issue 8, acceptance 1: the Observatory in a real browser (Debian's chromium, headless) on the
 * production setup — the API serving the page, a worker whose handler poisons one book,
 * PostgreSQL and Redis. The page shows the dead letter; a click replays it; the dead letter
 * goes and the handler's processed count goes up. The page's numbers come from the broker,
 * so the API shows what the worker did.
 */
const MINUTE = 60_000;
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test/artifacts');
const TOKEN = `token-${randomUUID()}`;

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

describe('the Observatory in a browser', () => {
  let system: BookshelfSystem;
  let browser: Browser;
  let page: Page;
  let workdir: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    workdir = mkdtempSync(join(tmpdir(), 'observatory-e2e-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, MINUTE);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    rmSync(workdir, { recursive: true, force: true });
  });

  it(
    'shows a dead letter, replays it on a click, and the handler’s processed count goes up',
    async () => {
      const fault = {
        FAULT_FILE: join(workdir, 'fault'),
        FAULT_LOG: join(workdir, 'log'),
        FAULT_TITLE: 'Poison',
      };
      writeFileSync(fault.FAULT_FILE, 'on');
      system = await BookshelfSystem.start({ ...fault, PROTEAN_OBSERVATORY__TOKEN: TOKEN });
      const { url } = await system.startApi();
      await system.startWorker({}, TEST_WORKER_MAIN);

      const correlationId = `poison-${randomUUID()}`;
      for (const title of ['Good A', 'Poison', 'Good B']) {
        const response = await fetch(`${url}/books`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(title === 'Poison' ? { 'x-correlation-id': correlationId } : {}),
          },
          body: JSON.stringify({ title, author: 'A. Author', price: 10, stock: 5 }),
        });
        expect(response.status).toBe(202);
      }
      const [letter] = await eventually(
        async () => {
          const response = await fetch(`${url}/observatory/api/dead-letters`, {
            headers: { authorization: `Bearer ${TOKEN}` },
          });
          const { letters } = (await response.json()) as {
            letters: Array<{ id: string; stream: string }>;
          };
          return letters.length > 0 ? letters : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250, what: 'the poisoned event dead-lettered' },
      );

      page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
      try {
        await page.goto(`${url}/observatory?token=${TOKEN}`);
        expect(new URL(page.url()).search).toBe(''); // the token left the address bar

        const row = page.locator(`#dead-letters tr[data-id="${letter.id}"]`);
        await row.waitFor({ timeout: 10_000 });
        expect(await row.textContent()).toContain('poisoned book');
        expect(await row.textContent()).toContain('FlakyBookHandler');

        const processed = page.locator(
          '#handlers tr[data-key="FlakyBookHandler@bookshelf::book"] td.processed',
        );
        // Three BookAdded read by the group and finished (two handled, one dead-lettered).
        await eventually(async () => (await processed.textContent()) === '3', {
          ...PROCESS_POLL,
          what: 'FlakyBookHandler processed 3',
        });

        await row.getByRole('button', { name: 'Inspect' }).click();
        const dialog = page.locator('#inspect');
        await dialog.waitFor({ state: 'visible' });
        expect(await dialog.textContent()).toContain('"title": "Poison"');
        await dialog.getByRole('button', { name: 'Close' }).click();

        rmSync(fault.FAULT_FILE); // the handler is fixed
        await row.getByRole('button', { name: 'Replay' }).click();
        await row.waitFor({ state: 'detached', timeout: 10_000 });
        await eventually(async () => (await processed.textContent()) === '4', {
          ...PROCESS_POLL,
          timeoutMs: 20_000,
          what: "FlakyBookHandler's processed count to go up",
        });
        await page.locator('#dlq-empty').waitFor({ state: 'visible' });
        await eventually(
          () => lines(fault.FAULT_LOG).filter((l) => l.startsWith('processed')).length === 3,
          { ...PROCESS_POLL, what: 'the handler to have processed the replayed event' },
        );

        await page.fill('#trail-id', correlationId);
        await page.click('#trail-form button[type="submit"]');
        await eventually(
          async () => {
            const trail = (await page.locator('#trail').textContent()) ?? '';
            return trail.includes('✓ FlakyBookHandler') && trail.includes('✓ AddBookHandler');
          },
          {
            ...PROCESS_POLL,
            what: 'the trail: command, event and the handlers that processed them',
          },
        );
        const trail = (await page.locator('#trail').textContent()) ?? '';
        expect(trail).toContain('bookshelf.BookAdded.v1');
        // Each message's hops, from the trail's own timestamps: the outbox row's publish after
        // its commit, and each handler's record after that publish.
        expect(trail).toMatch(/published \d+ ms after commit/);
        expect(trail).toMatch(/✓ AddBookHandler at [^(]+\(\+\d+ ms\)/);
        expect(trail).toMatch(/✓ FlakyBookHandler at [^(]+\(\+\d+ ms\)/);

        await page.screenshot({ path: join(ARTIFACTS, 'observatory.png'), fullPage: true });
      } catch (error) {
        await page
          .screenshot({ path: join(ARTIFACTS, 'observatory-failure.png'), fullPage: true })
          .catch(() => undefined);
        throw error;
      }
    },
    3 * MINUTE,
  );
});
