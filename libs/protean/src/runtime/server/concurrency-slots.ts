/**
 * Slots for work running at once, shared by several queues: the partitions one worker holds of
 * a handler share the handler's `concurrency`, so that holding 8 partitions does not run 8
 * times as much at once. A queue takes a slot per item it starts and gives it back when the
 * item ends; a freed slot is offered to the queues in turn, starting after the one offered
 * first last time, so that no queue starves the others.
 */
export class ConcurrencySlots {
  private taken = 0;
  private readonly waiters: Array<() => void> = [];
  private next = 0;

  constructor(readonly limit: number) {}

  /** Takes a slot if one is free. */
  tryTake(): boolean {
    if (this.taken >= this.limit) return false;
    this.taken++;
    return true;
  }

  /** Gives a slot back and offers the free slots to the queues, each time from the next one. */
  give(): void {
    this.taken--;
    const count = this.waiters.length;
    if (count === 0) return;
    const start = this.next % count;
    this.next = start + 1;
    for (let i = 0; i < count && this.taken < this.limit; i++) {
      this.waiters[(start + i) % count]?.();
    }
  }

  /** Calls `pump` when a slot is freed (the queue takes one if it has work); returns the unsubscription. */
  whenFree(pump: () => void): () => void {
    this.waiters.push(pump);
    return () => {
      const index = this.waiters.indexOf(pump);
      if (index >= 0) this.waiters.splice(index, 1);
    };
  }
}
