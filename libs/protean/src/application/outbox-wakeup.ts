import { Injectable } from '@nestjs/common';
import type { ClaimedMessage, OutboxLease } from '../ports/outbox/outbox-store.port.js';

/**
 * Publishes rows right after their commit, in the process that wrote them: the rows were
 * appended already leased to it (see `OutboxStore.append`), so no processor claims them while
 * the lease holds, and the lease's expiry makes them an ordinary processor's if their writer
 * dies first.
 */
export interface AfterCommitPublisher {
  /** The lease to write rows under; `undefined` while it cannot publish (a broker outage). */
  lease(): OutboxLease | undefined;
  /** Takes rows leased to it that have just committed; publishes and marks them soon after. */
  publish(rows: readonly ClaimedMessage[]): void;
}

/**
 * Between the outbox writer and this process's outbox processor: the writer signals rows left
 * for processors, and hands rows it leased at append to the after-commit publisher, when this
 * process has one (`outbox.publish_after_commit`).
 */
@Injectable()
export class OutboxWakeup {
  private readonly listeners = new Set<() => void>();
  private afterCommit?: AfterCommitPublisher;

  /** Tells every listener that rows were committed for processors to claim. */
  signal(): void {
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` on every signal; the function returned unsubscribes. */
  onSignal(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Makes `publisher` publish the rows of this process's units of work after their commit. */
  publishAfterCommitWith(publisher: AfterCommitPublisher | undefined): void {
    this.afterCommit = publisher;
  }

  /** The after-commit publisher, if this process has one. */
  get publisher(): AfterCommitPublisher | undefined {
    return this.afterCommit;
  }
}
