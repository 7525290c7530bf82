import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfiguration, setupSchema } from 'nestjs-protean';

/** The server the integration tests use: DATABASE_URL, or the local one `.ci/run` starts. */
export const DATABASE_URL =
  process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A database of its own for one test file, on the shared server. */
export interface TestDatabase {
  readonly name: string;
  readonly uri: string;
  /** Runs one statement on it (a fresh connection each time; for assertions and set-up). */
  query<R = Record<string, any>>(text: string, values?: unknown[]): Promise<R[]>;
  /** Drops it, closing whatever connections are still open. */
  drop(): Promise<void>;
}

async function withClient<T>(uri: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: uri });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates `protean_test_<random>`: test files run in parallel and others share the server, so
 * each file works in a database nobody else touches, and drops it at the end.
 */
export async function createTestDatabase(prefix = 'protean_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withClient(DATABASE_URL, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  const uri = url.toString();
  return {
    name,
    uri,
    query: <R>(text: string, values?: unknown[]) =>
      withClient(uri, async (client) => (await client.query<R>(text, values)).rows),
    drop: () =>
      withClient(DATABASE_URL, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ).then(() => undefined),
  };
}

/**
 * {@link createTestDatabase} with Protean's tables in it (outbox, aggregates, and with
 * `eventStore` the event store), set up as `npx protean db setup` would; dropped again if the
 * set-up fails.
 */
export async function createMigratedTestDatabase({
  prefix,
  eventStore = false,
}: { prefix?: string; eventStore?: boolean } = {}): Promise<TestDatabase> {
  const db = await createTestDatabase(prefix);
  try {
    await setupSchema(
      loadConfiguration({
        embedded: true,
        overrides: {
          databases: { default: { provider: 'postgresql', database_uri: db.uri } },
          ...(eventStore ? { event_store: { provider: 'postgresql' } } : {}),
        },
      }),
    );
  } catch (error) {
    await db.drop();
    throw error;
  }
  return db;
}
