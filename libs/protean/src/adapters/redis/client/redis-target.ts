import { readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import type * as IORedis from 'ioredis';
import { requireOptionalPeer } from '../../../core/errors/optional-peer.js';
import type { BrokerSettings } from '../../brokers/broker-settings.js';
import { BrokerConnectionError } from '../../../ports/broker/broker-connection.error.js';
import { BrokerError } from '../../../ports/broker/broker.error.js';
import { BrokerOperationError } from '../../../ports/broker/broker-operation.error.js';
import { BrokerRefusedError } from '../../../ports/broker/broker-refused.error.js';
import { redactSecrets, redactUri, secretsOf } from '../../../core/config/redact-uri.js';
import { isClusterUri, parseClusterUri } from '../../../core/config/redis-cluster-uri.js';
import {
  isAuthenticationError,
  isDatabaseSelectError,
  isReplyError,
  isTlsError,
  isUnavailableReply,
  messageOf,
} from './redis-errors.js';

/** What a connection is for; it names the connection in `CLIENT LIST` and in logs. */
export type RedisConnectionRole = 'commands' | 'reader' | 'subscriber';

/** A connection to one Redis, or a cluster client routing each command to its slot's master. */
export type RedisClient = Redis | Cluster;

const MAX_RECONNECT_DELAY_MS = 1000;

/**
 * One configured Redis server as the adapters see it: makes its connections, turns what ioredis
 * rejects with into broker errors that name the broker and never hold the password, and stops
 * every connection from retrying once the server refused the credentials, the certificate or
 * the database index.
 */
export class RedisTarget {
  /** `redis://user:***@host:port/db`, safe to print. */
  readonly redactedUri: string;
  /** The database index the URI names (`/3`), 0 when it names none. */
  readonly databaseIndex: number;
  private readonly secrets: string[];
  private readonly logger: Logger;
  private fatal: BrokerRefusedError | undefined;
  private lastConnectionError: string | undefined;
  /** Whether any connection ever became ready (then TLS works, whatever fails now). */
  private connectedOnce = false;

  constructor(
    readonly brokerName: string,
    readonly provider: string,
    private readonly settings: BrokerSettings,
  ) {
    if (!settings.uri && !settings.clusterNodes) {
      throw new BrokerError(
        brokerName,
        `Broker "${brokerName}" (${provider}) needs a URI: set brokers.${brokerName}.uri`,
      );
    }
    this.redactedUri = settings.uri
      ? redactUri(settings.uri)
      : `redis+cluster://${settings.clusterNodes!.map(({ host, port }) => `${host}:${port}`).join(',')}`;
    this.databaseIndex =
      settings.uri && !isClusterUri(settings.uri) ? databaseIndexOf(settings.uri) : 0;
    this.secrets = secretsOf(settings.uri);
    this.logger = new Logger(`Broker:${brokerName}`);
  }

  /** Whether the broker talks to a Redis Cluster (`nodes`, or a `redis+cluster://` URI). */
  get cluster(): boolean {
    return this.settings.clusterNodes !== undefined;
  }

  /** `Broker "default" (redis)`, the subject of every message. */
  get label(): string {
    return `Broker "${this.brokerName}" (${this.provider})`;
  }

  /** The error every operation fails with once the credentials or certificate were refused. */
  get fatalError(): BrokerRefusedError | undefined {
    return this.fatal;
  }

  /**
   * A new, lazily connecting client. `commands` connections bound each command by
   * `command_timeout_ms`; blocking readers are bounded by their own watchdog instead.
   */
  createClient(role: RedisConnectionRole, overrides: Partial<RedisOptions> = {}): Redis {
    if (this.cluster) {
      throw new BrokerError(
        this.brokerName,
        `${this.label} does not support Redis Cluster; use provider "redis" or a single Redis`,
      );
    }
    const options: RedisOptions = {
      lazyConnect: true,
      connectTimeout: this.settings.connectTimeoutMs,
      commandTimeout: role === 'commands' ? this.settings.commandTimeoutMs : undefined,
      // Timeouts bound every command; ioredis's own retry cap would only add a second clock.
      maxRetriesPerRequest: null,
      connectionName: `protean:${this.brokerName}:${role}`,
      // How long a closing socket may linger; ours close after QUIT or are already dead.
      disconnectTimeout: 200,
      retryStrategy: (attempt) =>
        this.fatal ? null : Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
      ...this.tlsOptions(),
      ...overrides,
    };
    const ioredis = requireOptionalPeer<typeof IORedis>('ioredis');
    const client = new ioredis.Redis(this.settings.uri!, options);
    client.on('error', (error: unknown) => this.onConnectionError(role, error, client));
    client.on('ready', () => this.onReady(role));
    return client;
  }

  /**
   * {@link createClient}, or on a cluster a lazily connecting cluster client: it finds the
   * masters from the seed nodes, routes each command to its slot's master, follows `MOVED`
   * after a failover, and bounds each command on a node by `command_timeout_ms` (`commands`).
   */
  createNodeOrClusterClient(role: RedisConnectionRole): RedisClient {
    if (!this.cluster) return this.createClient(role);
    const ioredis = requireOptionalPeer<typeof IORedis>('ioredis');
    const uri = this.settings.uri ? parseClusterUri(this.settings.uri) : undefined;
    const options: ClusterOptions = {
      lazyConnect: true,
      clusterRetryStrategy: (attempt) =>
        this.fatal ? null : Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
      slotsRefreshTimeout: this.settings.connectTimeoutMs,
      redisOptions: {
        connectTimeout: this.settings.connectTimeoutMs,
        commandTimeout: role === 'commands' ? this.settings.commandTimeoutMs : undefined,
        maxRetriesPerRequest: null,
        connectionName: `protean:${this.brokerName}:${role}`,
        disconnectTimeout: 200,
        username: uri?.username,
        password: uri?.password,
        ...(uri?.tls ? this.tlsOptions(true) : {}),
      },
    };
    const client = new ioredis.Cluster([...this.settings.clusterNodes!], options);
    client.on('error', (error: unknown) => this.onConnectionError(role, error, client));
    client.on('node error', (error: unknown) => this.onConnectionError(role, error, client));
    client.on('ready', () => this.onReady(role));
    return client;
  }

  /** The broker error for a failed `action` (e.g. `publish to "orders"`). */
  toBrokerError(error: unknown, action: string): Error {
    if (this.fatal) return this.fatal;
    if (error instanceof BrokerError) return error;
    if (isFatal(error)) return this.markFatal(error);
    const message = this.redact(messageOf(error));
    if (isReplyError(error) && !isUnavailableReply(error)) {
      return new BrokerOperationError(
        this.brokerName,
        `${this.label}: ${action} failed: ${message}`,
      );
    }
    const last =
      this.lastConnectionError && this.lastConnectionError !== message
        ? ` (last connection error: ${this.lastConnectionError})`
        : '';
    return new BrokerConnectionError(
      this.brokerName,
      `${this.label} at ${this.redactedUri} could not ${action}: ${message}${last}` +
        this.tlsHint(`${message}${last}`),
    );
  }

  /** `text` without the password. */
  redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }

  private tlsOptions(cluster = false): Partial<RedisOptions> {
    if (!cluster && !this.settings.uri?.startsWith('rediss:')) return {};
    const ca = this.settings.tlsCaFile ? readFileSync(this.settings.tlsCaFile) : undefined;
    return { tls: ca ? { ca } : {} };
  }

  private onConnectionError(role: RedisConnectionRole, error: unknown, client: RedisClient): void {
    if (isDatabaseSelectError(error)) {
      // ioredis would go on in database 0: close this connection before it sends a command.
      client.disconnect();
      if (!this.fatal) this.logger.error(this.markFatal(error).message);
      return;
    }
    if (this.fatal) return;
    if (isFatal(error)) {
      this.logger.error(this.markFatal(error).message);
      return;
    }
    const message = this.redact(messageOf(error));
    // A server that is down raises the same error on every retry; say it once.
    if (message !== this.lastConnectionError) {
      this.logger.warn(
        `${this.label} at ${this.redactedUri}: ${role} connection error: ${message}` +
          `${this.tlsHint(message)}; retrying`,
      );
    }
    this.lastConnectionError = message;
  }

  /**
   * A TLS client that meets a plain Redis port hears nothing it understands and times out, which
   * reads like an outage: until a connection has worked, a `rediss://` failure that is not a
   * refused or unknown host names TLS as a likely cause.
   */
  private tlsHint(failure: string): string {
    if (this.connectedOnce || !this.settings.uri?.startsWith('rediss:')) return '';
    if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(failure)) return '';
    return (
      '; the URI asks for TLS (rediss://): if the server does not speak TLS on that port, ' +
      'use redis://'
    );
  }

  private onReady(role: RedisConnectionRole): void {
    this.connectedOnce = true;
    if (this.lastConnectionError === undefined) {
      this.logger.debug(`${this.label} at ${this.redactedUri}: ${role} connection ready`);
      return;
    }
    this.logger.log(`${this.label} at ${this.redactedUri}: ${role} connection restored`);
    this.lastConnectionError = undefined;
  }

  private markFatal(error: unknown): BrokerRefusedError {
    const message = this.redact(messageOf(error));
    const uriKey = `brokers.${this.brokerName}.uri`;
    this.fatal ??= new BrokerRefusedError(
      this.brokerName,
      isDatabaseSelectError(error)
        ? `${this.label} at ${this.redactedUri} cannot use database ${this.databaseIndex}: ` +
            `${message}; set ${uriKey} to a database index the server has ` +
            `(its "databases" setting, 16 by default; a cluster has only 0) and restart`
        : `${this.label} could not connect to ${this.redactedUri}: ${message}; ` +
            `check ${uriKey} (credentials, TLS) and restart`,
    );
    return this.fatal;
  }
}

/** Refusals that retrying cannot cure: credentials, certificate, database index. */
function isFatal(error: unknown): boolean {
  return isAuthenticationError(error) || isTlsError(error) || isDatabaseSelectError(error);
}

/** The database index of a `redis://host/3` URI, as ioredis reads it (0 when none). */
function databaseIndexOf(uri: string): number {
  const path = new URL(uri).pathname.slice(1);
  return /^\d+$/.test(path) ? Number(path) : 0;
}
