/**
 * A wait that a signal cuts short. A signal that arrives while nobody waits is kept, so a
 * commit that lands during a batch makes the next wait return at once.
 */
export class WakeSignal {
  private pending = false;
  private wakeWaiter?: () => void;

  notify(): void {
    if (this.wakeWaiter) this.wakeWaiter();
    else this.pending = true;
  }

  /** Resolves after `ms`, or sooner on a signal (or at once if one is pending). */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeWaiter = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeWaiter = done;
    });
  }
}
