import { Logger } from '@nestjs/common';
import type { Client } from 'pg';
import type * as Pg from 'pg';
import { requireOptionalPeer } from '../../core/errors/optional-peer.js';
import type { clientConfigOf } from './postgres-server.js';
import { translatePostgresError } from './translate-postgres-error.js';
import { messageOf } from '../../core/errors/error-message.js';

export interface ListenerCallbacks {
  readonly onNotification: () => void;
  readonly onReconnect?: () => void;
}

const RECONNECT_DELAYS_MS = [250, 500, 1_000, 2_000, 5_000];

/**
 * `LISTEN` on a dedicated connection (a pooled one would be handed to other work). A dropped
 * connection is re-opened with backoff; `onReconnect` then tells the owner that notifications
 * may have been missed meanwhile.
 */
export class PostgresListener {
  private readonly logger = new Logger('PostgresListener');
  private client?: Client;
  private stopped = false;
  private failures = 0;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    /** The server's settings (never logged: they may hold a password). */
    private readonly clientConfig: ReturnType<typeof clientConfigOf>,
    private readonly target: string,
    private readonly channel: string,
    private readonly callbacks: ListenerCallbacks,
  ) {}

  /** Connects and listens; rejects when the first connection fails. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const pg = requireOptionalPeer<typeof Pg>('pg');
    const client = new pg.Client(this.clientConfig);
    client.on('notification', () => this.callbacks.onNotification());
    client.on('error', () => this.reconnectLater(client));
    client.on('end', () => this.reconnectLater(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw translatePostgresError(error, this.target);
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.failures = 0;
  }

  private reconnectLater(dropped: Client): void {
    if (this.stopped || this.client !== dropped) return;
    this.client = undefined;
    dropped.removeAllListeners();
    dropped.on('error', () => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = RECONNECT_DELAYS_MS[Math.min(this.failures, RECONNECT_DELAYS_MS.length - 1)];
    this.failures += 1;
    this.retryTimer = setTimeout(() => {
      this.connect().then(
        () => {
          if (!this.stopped) this.callbacks.onReconnect?.();
        },
        (error: unknown) => {
          if (this.stopped) return;
          const reason = messageOf(error);
          this.logger.warn(`LISTEN ${this.channel} on ${this.target} lost: ${reason}; retrying`);
          this.scheduleReconnect();
        },
      );
    }, delay);
    this.retryTimer.unref();
  }
}
