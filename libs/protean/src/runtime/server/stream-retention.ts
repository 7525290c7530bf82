import { Logger } from '@nestjs/common';
import type { Broker } from '../../ports/broker/broker.port.js';

const TRIM_EVERY_MS = 60_000;

/**
 * Applies `retention_maxlen` to the streams the engine reads. A stream is capped at the largest
 * length any of its subscriptions asks for, and not at all when one asks for none (0), since a
 * stream is shared by every group reading it. Trimming never drops an entry some group has not
 * acknowledged (see `Broker.trim`); it runs at start and then every minute.
 */
export class StreamRetention {
  private readonly logger = new Logger(StreamRetention.name);
  private readonly caps = new Map<string, { broker: Broker; stream: string; maxLength: number }>();
  private timer: NodeJS.Timeout | undefined;

  /** Records that a subscription on `stream` of `broker` wants it capped at `maxLength`. */
  add(broker: Broker, stream: string, maxLength: number): void {
    const key = `${broker.name}\u0000${stream}`;
    const known = this.caps.get(key);
    const capped =
      known === undefined
        ? maxLength
        : known.maxLength === 0 || maxLength === 0
          ? 0
          : Math.max(known.maxLength, maxLength);
    this.caps.set(key, { broker, stream, maxLength: capped });
  }

  start(): void {
    if ([...this.caps.values()].every(({ maxLength }) => maxLength === 0)) return;
    void this.trimAll();
    this.timer = setInterval(() => void this.trimAll(), TRIM_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async trimAll(): Promise<void> {
    for (const { broker, stream, maxLength } of this.caps.values()) {
      if (maxLength === 0 || !broker.capabilities.replay) continue;
      try {
        await broker.trim(stream, maxLength);
      } catch (error) {
        this.logger.warn(`Trimming ${stream} failed, trying again later: ${String(error)}`);
      }
    }
  }
}
