import { BrokerReadTimeoutError } from '../../../ports/broker/broker-read-timeout.error.js';
import type { RedisClient, RedisTarget } from '../client/redis-target.js';

/**
 * Dedicated connections for blocking reads, so that publishing and acknowledging never queue
 * behind an XREADGROUP BLOCK. A read borrows an idle connection or opens one, and returns it
 * afterwards; as many connections exist as reads ever ran at once.
 *
 * The watchdog: a read that outlives its block time by the grace period is failed with
 * {@link BrokerReadTimeoutError}, and its connection is destroyed rather than reused. Redis
 * always answers a bounded BLOCK, so silence means a dead socket (a server that vanished
 * without closing it) or a server down for longer than the read may wait; destroying the
 * connection also discards a queued read, which must not run later for a caller that left.
 */
export class BlockingReaderPool {
  private readonly idle: RedisClient[] = [];
  private readonly all = new Set<RedisClient>();
  /** Rejects the reads in flight: a cluster client may hold a cut-off read for a retry. */
  private readonly abandon = new Set<(error: Error) => void>();

  constructor(
    private readonly target: RedisTarget,
    private readonly graceMs: number,
  ) {}

  /** Runs `read` on a dedicated connection; rejects once `blockMs` + grace have passed. */
  async run<T>(blockMs: number, read: (client: RedisClient) => Promise<T>): Promise<T> {
    const client = this.idle.pop() ?? this.open();
    const limit = blockMs + this.graceMs;
    let timer: NodeJS.Timeout | undefined;
    let abandon: ((error: Error) => void) | undefined;
    const watchdog = new Promise<never>((_resolve, reject) => {
      abandon = reject;
      this.abandon.add(reject);
      timer = setTimeout(() => {
        this.destroy(client);
        reject(
          new BrokerReadTimeoutError(
            this.target.brokerName,
            `${this.target.label} at ${this.target.redactedUri}: a read blocking for ${blockMs} ms ` +
              `got no answer within ${limit} ms; the connection was dropped and the next read ` +
              `reconnects`,
          ),
        );
      }, limit);
    });
    try {
      const result = await Promise.race([read(client), watchdog]);
      if (this.all.has(client)) this.idle.push(client);
      return result;
    } catch (error) {
      if (this.all.has(client)) this.idle.push(client);
      throw error;
    } finally {
      clearTimeout(timer);
      this.abandon.delete(abandon!);
    }
  }

  /** Closes every connection; reads in flight reject with a connection-closed error. */
  close(): void {
    for (const client of [...this.all]) this.destroy(client);
    for (const abandon of this.abandon) abandon(new Error('Connection is closed.'));
  }

  private open(): RedisClient {
    // A read cut off by a reconnect is resent as it was; the watchdog bounds how long it waits.
    const client = this.target.createNodeOrClusterClient('reader');
    this.all.add(client);
    return client;
  }

  private destroy(client: RedisClient): void {
    this.all.delete(client);
    const index = this.idle.indexOf(client);
    if (index >= 0) this.idle.splice(index, 1);
    client.disconnect();
  }
}
