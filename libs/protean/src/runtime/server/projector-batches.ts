import { Logger } from '@nestjs/common';
import {
  RaisedInBatchError,
  type HandlerRunner,
  type OnceWork,
} from '../../application/handler-runner.js';
import type { ConflictRetryOptions } from '../../application/retry-on-conflict.js';

interface Waiting {
  readonly item: OnceWork;
  readonly conflicts: ConflictRetryOptions;
  readonly resolve: (ran: boolean) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Runs a projector's messages that start in one turn of the event loop in one transaction:
 * one BEGIN and one COMMIT for the batch instead of one pair per message, which is most of
 * what a read model's update costs. The subscription starts at most `concurrency` messages at
 * once and never two of one aggregate, so a batch holds distinct aggregates, at most that many.
 *
 * Nothing is weaker than one message per transaction: each message is recorded as processed
 * in the batch's transaction, and when the batch fails for any reason (one handler's error, a
 * conflict, a message that raised events) it rolls back whole and each of its messages runs
 * again alone — with its own conflict retries, its own failure, its own retry and dead letter,
 * so a poisoned message never takes its neighbours with it. A projector that raises events is
 * run one message per unit of work from then on.
 */
export class ProjectorBatches {
  private readonly logger: Logger;
  private waiting: Waiting[] = [];
  private scheduled = false;
  /** Off once a message raised events: its events need a unit of work of their own. */
  private batching = true;

  constructor(
    private readonly handler: string,
    private readonly runner: HandlerRunner,
  ) {
    this.logger = new Logger(`ProjectorBatches ${handler}`);
  }

  /** Runs `item` at most once, as `HandlerRunner.runOnce` does; resolves to whether it ran. */
  run(item: OnceWork, conflicts: ConflictRetryOptions): Promise<boolean> {
    if (!this.batching) return this.alone(item, conflicts);
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, conflicts, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // After the promise callbacks of this turn: the messages the queue starts together.
      setImmediate(() => this.flush());
    });
  }

  /**
   * Runs `items` in one unit of work (`HandlerRunner.runBatchOnce`): resolves to whether each
   * ran, or to `undefined` when the batch rolled back or batching is off — the caller then runs
   * them one by one. The first message that raises events turns batching off for good.
   */
  async together(items: readonly OnceWork[]): Promise<boolean[] | undefined> {
    if (!this.batching) return undefined;
    try {
      return await this.runner.runBatchOnce(this.handler, items);
    } catch (error) {
      if (error instanceof RaisedInBatchError && this.batching) {
        this.batching = false;
        this.logger.log(`${error.message}; each message runs in its own unit of work`);
      }
      return undefined;
    }
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 1) return this.settle(batch[0]);
    void this.together(batch.map(({ item }) => item)).then((ran) => {
      if (ran) batch.forEach(({ resolve }, index) => resolve(ran[index]));
      else for (const waiting of batch) this.settle(waiting);
    });
  }

  private settle({ item, conflicts, resolve, reject }: Waiting): void {
    this.alone(item, conflicts).then(resolve, reject);
  }

  private alone({ messageId, ids, work }: OnceWork, conflicts: ConflictRetryOptions) {
    return this.runner.runOnce(this.handler, messageId, ids, work, conflicts);
  }
}
