import {
  deadLetterStream,
  type Broker,
  type DeadLetter,
  type DeadLetters,
} from '../../../ports/broker/broker.port.js';
import { Progress, type ProgressStream } from '../output/progress.js';

/** Dead letters read per listing. */
const BATCH = 100;

/** What `replay-all` did: how many it replayed, and the letters it had to leave (no data). */
export interface ReplayAllOutcome {
  readonly replayed: number;
  readonly unreplayable: readonly DeadLetter[];
}

/**
 * Counts the dead letters there are when `replay-all` starts, stream by stream as streams turn
 * up — the application's streams first, then any other a listing shows — so the replay can
 * stop after those: a letter that fails again and returns waits for the next run.
 */
class DeadLetterTally {
  private readonly counted = new Set<string>();
  total = 0;

  constructor(private readonly broker: Broker) {}

  async add(streams: Iterable<string>): Promise<void> {
    const fresh = [...new Set(streams)].filter((stream) => !this.counted.has(stream));
    for (const stream of fresh) this.counted.add(stream);
    const lengths = await Promise.all(
      fresh.map(async (stream) => (await this.broker.streamInfo(deadLetterStream(stream))).length),
    );
    this.total += lengths.reduce((sum, n) => sum + n, 0);
  }
}

const keyOf = (letter: DeadLetter) => `${letter.stream}\n${letter.id}`;

/**
 * Replays the dead letters of `stream` (or of every stream: `stream` undefined, the tally
 * starting from `knownStreams`), oldest first, with progress on `progressTo`. A letter without
 * data is skipped and reported, never a reason to stop: the rest are replayed.
 */
export async function replayDeadLetters(
  broker: Broker & DeadLetters,
  stream: string | undefined,
  knownStreams: readonly string[],
  progressTo: ProgressStream,
): Promise<ReplayAllOutcome> {
  const tally = new DeadLetterTally(broker);
  await tally.add(stream !== undefined ? [stream] : knownStreams);
  const progress = new Progress(progressTo, 'replaying', tally.total);
  const skipped = new Map<string, DeadLetter>();
  let replayed = 0;
  const handled = () => replayed + skipped.size;
  for (;;) {
    // The skipped letters stay at the head of their DLQ: read past them.
    const listed = await broker.listDeadLetters(stream, BATCH + skipped.size);
    const batch = listed.filter((letter) => !skipped.has(keyOf(letter)));
    await tally.add(batch.map((letter) => letter.stream));
    progress.setTotal(tally.total);
    const before = handled();
    for (const letter of batch) {
      if (handled() >= tally.total) break;
      if (letter.data === undefined) skipped.set(keyOf(letter), letter);
      else if (await broker.replayDeadLetter(letter.id, letter.stream)) replayed++;
      else continue; // gone meanwhile (replayed or purged by someone else)
      progress.advance();
    }
    if (handled() === before || handled() >= tally.total) break;
  }
  progress.finish();
  return { replayed, unreplayable: [...skipped.values()] };
}
