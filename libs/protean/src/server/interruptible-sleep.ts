/** A sleep that `wake()` ends early; for loops that must react to stop and to new capacity. */
export class InterruptibleSleep {
  private wakers = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((done) => {
      const finish = () => {
        clearTimeout(timer);
        this.wakers.delete(finish);
        done();
      };
      const timer = setTimeout(finish, ms);
      this.wakers.add(finish);
    });
  }

  /** Ends every sleep in progress. */
  wake(): void {
    for (const finish of [...this.wakers]) finish();
  }
}
