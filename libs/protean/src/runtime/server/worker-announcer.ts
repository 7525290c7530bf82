import type { Logger } from '@nestjs/common';
import type { Broker, WorkerPresence, WorkerRegistry } from '../../ports/broker/broker.port.js';
import { messageOf } from '../../core/errors/error-message.js';

/** How long a worker's announcement lives: renewed every third of it, forgotten after it. */
export const WORKER_ANNOUNCEMENT_TTL_MS = 15_000;

/**
 * Keeps a running worker's announcement (who it is, which handlers it runs) on every broker
 * that keeps a {@link WorkerRegistry}, so that `subscriptions status` and the Observatory in any
 * process show which pool runs what, and which handler no worker serves. An announcement that
 * fails is retried at the next renewal and never stops the worker.
 */
export class WorkerAnnouncer {
  private timer?: NodeJS.Timeout;
  private failing = false;

  constructor(
    private readonly registries: ReadonlyArray<Broker & WorkerRegistry>,
    private readonly presence: () => WorkerPresence,
    private readonly logger: Logger,
    private readonly ttlMs = WORKER_ANNOUNCEMENT_TTL_MS,
  ) {}

  async start(): Promise<void> {
    if (this.registries.length === 0) return;
    await this.announce();
    this.timer = setInterval(() => void this.announce(), this.ttlMs / 3);
    this.timer.unref();
  }

  /** Stops renewing and withdraws the announcement (a crashed worker's just expires). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const { consumer } = this.presence();
    await Promise.allSettled(this.registries.map((broker) => broker.withdrawWorker(consumer)));
  }

  private async announce(): Promise<void> {
    const presence = this.presence();
    const results = await Promise.allSettled(
      this.registries.map((broker) => broker.announceWorker(presence, this.ttlMs)),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed && !this.failing) {
      this.logger.warn(
        `Could not announce this worker (other processes may show its handlers unserved): ${messageOf(failed.reason)}`,
      );
    }
    this.failing = failed !== undefined;
  }
}
