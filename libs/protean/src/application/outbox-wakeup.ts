import { Injectable } from '@nestjs/common';

/**
 * In-process wake-ups: the outbox writer signals after a unit of work that wrote rows
 * commits, and the processor of this process looks at once instead of at its next tick.
 */
@Injectable()
export class OutboxWakeup {
  private readonly listeners = new Set<() => void>();

  /** Tells every listener that rows were committed. */
  signal(): void {
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` on every signal; the function returned unsubscribes. */
  onSignal(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
