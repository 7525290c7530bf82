import { readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import type { Redis, RedisOptions } from 'ioredis';
import type * as IORedis from 'ioredis';
import { requireOptionalPeer } from '../../errors/optional-peer.js';
import type { BrokerSettings } from '../broker-settings.js';
import { BrokerConnectionError } from '../errors/broker-connection.error.js';
import { BrokerError } from '../errors/broker.error.js';
import { BrokerOperationError } from '../errors/broker-operation.error.js';
import { redactSecrets, redactUri, secretsOf } from './redact-uri.js';
import { isAuthenticationError, isReplyError, isTlsError, messageOf } from './redis-errors.js';

/** What a connection is for; it names the connection in `CLIENT LIST` and in logs. */
export type RedisConnectionRole = 'commands' | 'reader' | 'subscriber';

const MAX_RECONNECT_DELAY_MS = 1000;

/**
 * One configured Redis server as the adapters see it: makes its connections, turns what ioredis
 * rejects with into broker errors that name the broker and never hold the password, and stops
 * every connection from retrying once the server refused the credentials or the certificate.
 */
export class RedisTarget {
  /** `redis://user:***@host:port/db`, safe to print. */
  readonly redactedUri: string;
  private readonly secrets: string[];
  private readonly logger: Logger;
  private fatal: BrokerConnectionError | undefined;
  private lastConnectionError: string | undefined;

  constructor(
    readonly brokerName: string,
    readonly provider: string,
    private readonly settings: BrokerSettings,
  ) {
    if (!settings.uri) {
      throw new BrokerError(
        brokerName,
        `Broker "${brokerName}" (${provider}) needs a URI: set brokers.${brokerName}.uri`,
      );
    }
    this.redactedUri = redactUri(settings.uri);
    this.secrets = secretsOf(settings.uri);
    this.logger = new Logger(`Broker:${brokerName}`);
  }

  /** `Broker "default" (redis)`, the subject of every message. */
  get label(): string {
    return `Broker "${this.brokerName}" (${this.provider})`;
  }

  /** The error every operation fails with once the credentials or certificate were refused. */
  get fatalError(): BrokerConnectionError | undefined {
    return this.fatal;
  }

  /**
   * A new, lazily connecting client. `commands` connections bound each command by
   * `command_timeout_ms`; blocking readers are bounded by their own watchdog instead.
   */
  createClient(role: RedisConnectionRole, overrides: Partial<RedisOptions> = {}): Redis {
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
    client.on('error', (error: unknown) => this.onConnectionError(role, error));
    client.on('ready', () => this.onReady(role));
    return client;
  }

  /** The broker error for a failed `action` (e.g. `publish to "orders"`). */
  toBrokerError(error: unknown, action: string): Error {
    if (this.fatal) return this.fatal;
    if (error instanceof BrokerError) return error;
    if (isAuthenticationError(error) || isTlsError(error)) return this.markFatal(error);
    const message = this.redact(messageOf(error));
    if (isReplyError(error)) {
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
      `${this.label} at ${this.redactedUri} could not ${action}: ${message}${last}`,
    );
  }

  /** `text` without the password. */
  redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }

  private tlsOptions(): Partial<RedisOptions> {
    if (!this.settings.uri?.startsWith('rediss:')) return {};
    const ca = this.settings.tlsCaFile ? readFileSync(this.settings.tlsCaFile) : undefined;
    return { tls: ca ? { ca } : {} };
  }

  private onConnectionError(role: RedisConnectionRole, error: unknown): void {
    if (this.fatal) return;
    if (isAuthenticationError(error) || isTlsError(error)) {
      this.logger.error(this.markFatal(error).message);
      return;
    }
    const message = this.redact(messageOf(error));
    // A server that is down raises the same error on every retry; say it once.
    if (message !== this.lastConnectionError) {
      this.logger.warn(
        `${this.label} at ${this.redactedUri}: ${role} connection error: ${message}; retrying`,
      );
    }
    this.lastConnectionError = message;
  }

  private onReady(role: RedisConnectionRole): void {
    if (this.lastConnectionError === undefined) {
      this.logger.debug(`${this.label} at ${this.redactedUri}: ${role} connection ready`);
      return;
    }
    this.logger.log(`${this.label} at ${this.redactedUri}: ${role} connection restored`);
    this.lastConnectionError = undefined;
  }

  private markFatal(error: unknown): BrokerConnectionError {
    const message = this.redact(messageOf(error));
    this.fatal ??= new BrokerConnectionError(
      this.brokerName,
      `${this.label} could not connect to ${this.redactedUri}: ${message}; ` +
        `check brokers.${this.brokerName}.uri (credentials, TLS) and restart`,
    );
    return this.fatal;
  }
}
