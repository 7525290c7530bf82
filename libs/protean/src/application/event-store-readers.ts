import { Injectable } from '@nestjs/common';

/**
 * Whether anything in this process reads the event store now. The engine (a floor above)
 * registers itself; the {@link EventStoreRecorder} asks, so that a `memory` store — readable
 * only in its own process — keeps async commands only while someone here will read them.
 */
@Injectable()
export class EventStoreReaders {
  private readonly readers = new Set<() => boolean>();

  /** Adds a reader; `reading` answers whether it reads the event store at that moment. */
  add(reading: () => boolean): void {
    this.readers.add(reading);
  }

  get any(): boolean {
    for (const reading of this.readers) if (reading()) return true;
    return false;
  }
}
