import type { DataSource } from 'typeorm';
import type { PostgresConnectionCredentialsOptions } from 'typeorm/driver/postgres/PostgresConnectionCredentialsOptions.js';
import { describePostgresTarget } from './describe-postgres-target.js';

/**
 * How to reach a PostgreSQL server: a `database_uri`, or the credentials of an application's
 * own DataSource (which may give host, port, … instead of a URL). Kept private: it may hold a
 * password.
 */
export type PostgresServer = Pick<
  PostgresConnectionCredentialsOptions,
  'url' | 'host' | 'port' | 'username' | 'password' | 'database' | 'ssl'
>;

/** The server a `postgresql://` URI names. */
export function serverOfUri(uri: string): PostgresServer {
  return { url: uri };
}

/** The server an application's DataSource writes to (its primary, when it has replicas). */
export function serverOfDataSource(dataSource: DataSource): PostgresServer {
  const options = dataSource.options as PostgresConnectionCredentialsOptions & {
    readonly replication?: { readonly master: PostgresConnectionCredentialsOptions };
  };
  const { url, host, port, username, password, database, ssl } =
    options.replication?.master ?? options;
  return { url, host, port, username, password, database, ssl };
}

/** `host:port/name`: what logs and errors may show of a server, never its credentials. */
export function describeServer(server: PostgresServer): string {
  if (server.url && !server.host) return describePostgresTarget(server.url);
  return `${server.host ?? 'localhost'}:${server.port ?? 5432}/${server.database ?? '(default)'}`;
}

/**
 * A `pg` client's settings for the server (the `LISTEN` connection). Its type is inferred, not
 * `pg`'s `ClientConfig`: the published declarations must compile in an application without
 * `pg`'s types (`pg` ships none, and is an optional peer).
 */
export function clientConfigOf(server: PostgresServer, applicationName: string) {
  return {
    connectionString: server.url,
    host: server.host,
    port: server.port,
    user: server.username,
    password: server.password,
    database: server.database,
    ssl: server.ssl,
    application_name: applicationName,
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
  };
}
