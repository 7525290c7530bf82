/*
 * The few `pg` types Protean uses: the `LISTEN` connection and test helpers. `@types/pg` is not
 * a dependency of this repository; replace this file with it if it becomes one.
 */
declare module 'pg' {
  import type { EventEmitter } from 'node:events';
  import type { TlsOptions } from 'node:tls';

  export interface ClientConfig {
    connectionString?: string;
    host?: string;
    port?: number;
    user?: string;
    password?: string | (() => string) | (() => Promise<string>);
    database?: string;
    ssl?: boolean | TlsOptions;
    application_name?: string;
    connectionTimeoutMillis?: number;
    keepAlive?: boolean;
  }

  export interface QueryResult<R = Record<string, unknown>> {
    rows: R[];
    rowCount: number | null;
  }

  export class Client extends EventEmitter {
    constructor(config?: ClientConfig);
    connect(): Promise<void>;
    query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
    end(): Promise<void>;
  }

  export function escapeIdentifier(value: string): string;
}
