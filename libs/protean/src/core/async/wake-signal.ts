import { SYSTEM_CLOCK, type Clock } from './clock.js';

/**
 * A sleep that `wake()` ends early, for loops that must react to stop, to new capacity or to a
 * commit, and for readers blocked until a message arrives. Every sleep in progress ends on a
 * wake. With `keepUnheard`, a wake that arrives while nobody sleeps is kept, so the next sleep
 * returns at once (a commit that lands during a batch is not missed); without it, such a wake
 * is forgotten.
 */
export class WakeSignal {
  private readonly sleepers = new Set<() => void>();
  private pending = false;

  constructor(
    private readonly options: { readonly keepUnheard?: boolean } = {},
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {}

  /** Resolves after `ms`, or sooner on a wake (or at once if a kept one is pending). */
  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((done) => {
      const finish = () => {
        cancel();
        this.sleepers.delete(finish);
        done();
      };
      const cancel = this.clock.schedule(ms, finish);
      this.sleepers.add(finish);
    });
  }

  /** Ends every sleep in progress; with none, keeps the wake if `keepUnheard`. */
  wake(): void {
    if (this.sleepers.size === 0) {
      if (this.options.keepUnheard) this.pending = true;
      return;
    }
    for (const finish of [...this.sleepers]) finish();
  }
}
