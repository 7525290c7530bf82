import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { postJson } from '../support/bookshelf-system.js';
import { DATABASE_URL } from '../support/postgres.js';
import {
  API_MAIN,
  freePort,
  NodeProcess,
  PROTEAN_BIN,
  ROOT,
  PROCESS_POLL,
} from '../support/processes.js';
import { eventually } from 'nestjs-protean/testing';

/**
 * Issue 14, acceptance 1: the chapter's "Start everything", literally, on the chapter's
 * domain.toml verbatim — its `postgresql://localhost:5432/bookshelf` and
 * `redis://localhost:6379/0` — with no other setup step (no `db setup`: the processes migrate):
 *
 *   docker compose up -d               the shared PostgreSQL and Redis, with the empty
 *                                      `bookshelf` database compose creates (POSTGRES_DB)
 *   protean server --domain bookshelf  the package's bin, in the repository root
 *   the application                    the bookshelf API (`npm run start:api`)
 *
 * and an order placed over HTTP reaches CONFIRMED. It uses the real `bookshelf` database and
 * Redis database 0, so it cleans both before and after.
 */
const CHAPTER_REDIS = 'redis://127.0.0.1:6379/0';
/** The bookshelf's streams (and their DLQs), and the stream its subscriber reads. */
const BOOKSHELF_KEYS = ['bookshelf::*', 'external-orders*'];

/** What the shell of the chapter's reader has: no PROTEAN_* override, no LOG_* setting. */
function readerEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of Object.keys(process.env)) {
    if (/^(PROTEAN_|LOG_)/.test(key)) env[key] = undefined;
  }
  // The URI names no user: libpq's default user, which the compose PostgreSQL has.
  return { ...env, PGUSER: 'postgres' };
}

async function onServer(work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

async function deleteBookshelfKeys(): Promise<void> {
  const redis = new Redis(CHAPTER_REDIS);
  try {
    const keys = (await Promise.all(BOOKSHELF_KEYS.map((pattern) => redis.keys(pattern)))).flat();
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

describe("the chapter's Start everything, literally", () => {
  let project: string;
  const processes: NodeProcess[] = [];

  beforeAll(async () => {
    // docker compose up -d: an empty `bookshelf` database (leftovers of an earlier run dropped).
    await onServer(async (client) => {
      await client.query('DROP DATABASE IF EXISTS bookshelf WITH (FORCE)');
      await client.query('CREATE DATABASE bookshelf');
    });
    await deleteBookshelfKeys();
    project = mkdtempSync(join(tmpdir(), 'chapter-'));
    copyFileSync(join(ROOT, 'test/fixtures/chapter-domain.toml'), join(project, 'domain.toml'));
  });

  afterAll(async () => {
    await Promise.all(processes.map((process) => process.stop()));
    await deleteBookshelfKeys();
    await onServer((client) => client.query('DROP DATABASE IF EXISTS bookshelf WITH (FORCE)'));
    rmSync(project, { recursive: true, force: true });
  });

  it('protean server, then the API, with no setup step: an order reaches CONFIRMED', async () => {
    const env = { ...readerEnvironment(), PROTEAN_CONFIG: join(project, 'domain.toml') };

    // protean server --domain bookshelf (probes on a free port instead of 8080, which others use)
    const probes = await freePort();
    const server = new NodeProcess(PROTEAN_BIN, ['server', '--domain', 'bookshelf'], {
      ...env,
      PROTEAN_SERVER__HEALTH__PORT: String(probes),
    });
    processes.push(server);
    await server.answering(`http://127.0.0.1:${probes}/readyz`, 'protean server');
    expect(server.stdout + server.stderr).toMatch(
      /PostgreSQL at localhost:5432\/bookshelf \(databases\.default\): applied CreateDomainTables\d+, CreateOutbox\d+/,
    );

    // The application: the bookshelf API, producer only.
    const port = await freePort();
    const api = new NodeProcess(API_MAIN, [], { ...env, PORT: String(port) });
    processes.push(api);
    const url = `http://127.0.0.1:${port}`;
    await api.answering(`${url}/health`, 'the API');

    const book = await postJson(`${url}/books`, {
      title: 'Async Processing',
      author: 'A. Author',
      price: 12,
      stock: 3,
    });
    expect(book.status).toBe(202);
    await eventually(async () => (await fetch(`${url}/books/${book.body.id}`)).status === 200, {
      ...PROCESS_POLL,
      timeoutMs: 20_000,
      what: 'the book in the catalog',
    });

    const order = await postJson(`${url}/orders`, {
      customer: 'Ada',
      items: [{ bookId: book.body.id, quantity: 2 }],
    });
    expect(order.status).toBe(202);
    const status = await eventually(
      async () => {
        const response = await fetch(`${url}/orders/${order.body.id}`);
        if (response.status !== 200) return undefined;
        const { status } = (await response.json()) as { status: string };
        return status === 'PLACED' ? undefined : status;
      },
      { ...PROCESS_POLL, timeoutMs: 20_000, what: 'the order to be decided' },
    );
    expect(status).toBe('CONFIRMED');

    // Both stopped cleanly by SIGTERM.
    for (const process of [api, server]) {
      await expect(process.stop()).resolves.toMatchObject({ code: 0 });
    }
  }, 120_000);
});
