import type { Logger } from '@nestjs/common';
import { isDeadLetterStream } from '../../../ports/broker/broker.port.js';
import { messageOf } from '../client/redis-errors.js';
import type { RedisClient, RedisTarget } from '../client/redis-target.js';
import { SAFE_TRIM_SCRIPT } from './safe-trim.lua.js';
import type { StreamKeys } from './stream-keys.js';

/** Most entries one script call drops, so that one call never holds Redis for long. */
const MAX_DROPPED_PER_CALL = 10_000;

/**
 * Applies `max_stream_length` after publishing. Trimming after every XADD would double the
 * cost of publishing, so a stream is trimmed once a tenth of its allowance (at most 1000
 * entries) has been published since its last trim; one trim per stream runs at a time.
 */
export class StreamTrimmer {
  private readonly publishedSinceTrim = new Map<string, number>();
  private readonly running = new Map<string, Promise<number>>();
  private readonly threshold: number;
  private stopped = false;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: StreamKeys,
    private readonly target: RedisTarget,
    private readonly maxStreamLength: number,
    private readonly logger: Logger,
  ) {
    this.threshold = Math.max(1, Math.min(1000, Math.ceil(maxStreamLength / 10)));
  }

  /** Counts published entries and starts a trim in the background when one is due. */
  notePublished(stream: string, count: number): void {
    if (this.maxStreamLength === 0 || isDeadLetterStream(stream)) return;
    this.publishedSinceTrim.set(stream, (this.publishedSinceTrim.get(stream) ?? 0) + count);
    this.startIfDue(stream);
  }

  /** Trims now (after a trim in flight, which saw older positions); resolves to how many dropped. */
  async trim(stream: string, maxLength = this.maxStreamLength): Promise<number> {
    if (maxLength === 0 || isDeadLetterStream(stream)) return 0;
    await this.running.get(stream)?.catch(() => undefined);
    return this.start(stream, maxLength);
  }

  /** Stops starting trims and waits for those in flight, so that closing cuts none off. */
  async drain(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private startIfDue(stream: string): void {
    const due = (this.publishedSinceTrim.get(stream) ?? 0) >= this.threshold;
    if (this.stopped || !due || this.running.has(stream)) return;
    void this.start(stream)
      .catch((error: unknown) => {
        this.logger.warn(
          `${this.target.label}: trimming "${stream}" failed (retried after more publishes): ` +
            this.target.redact(messageOf(error)),
        );
      })
      // Entries published while this trim ran are counted; they may make another one due.
      .finally(() => this.startIfDue(stream));
  }

  private start(stream: string, maxLength = this.maxStreamLength): Promise<number> {
    this.publishedSinceTrim.set(stream, 0);
    const run = this.runScript(stream, maxLength).finally(() => {
      if (this.running.get(stream) === run) this.running.delete(stream);
    });
    this.running.set(stream, run);
    return run;
  }

  private async runScript(stream: string, maxLength: number): Promise<number> {
    try {
      const dropped = await this.client.eval(
        SAFE_TRIM_SCRIPT,
        1,
        this.keys.of(stream),
        maxLength,
        MAX_DROPPED_PER_CALL,
      );
      return Number(dropped);
    } catch (error) {
      throw this.target.toBrokerError(error, `trim "${stream}"`);
    }
  }
}
