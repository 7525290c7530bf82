import { setTimeout as sleep } from 'node:timers/promises';
import type {
  DeadLetter,
  DeadLetterRange,
  DeadLetters,
} from '../../../ports/broker/broker.port.js';
import { deadLetterPages } from '../../../ports/broker/dead-letter-pages.js';
import { Progress, type ProgressStream } from '../output/progress.js';

/** Dead letters read per listing while replaying. */
const BATCH = 100;
/** Dead letters read per listing while counting (no replay between two listings). */
const COUNT_BATCH = 1000;

/** What `replay-all` did: how many it replayed, and the letters it had to leave (no data). */
export interface ReplayAllOutcome {
  readonly replayed: number;
  readonly unreplayable: readonly DeadLetter[];
}

/**
 * Replays the dead letters of `stream` (or of every stream: `stream` undefined) that are there
 * when it starts, oldest first, with progress on `progressTo`. One walk with a forward cursor,
 * bounded by the start time: a letter that fails again returns to its DLQ with a later id, past
 * the bound, and waits for the next run — so the run always ends. A letter without data is
 * passed and reported, never a reason to stop: the rest are replayed.
 */
export async function replayDeadLetters(
  letters: DeadLetters,
  stream: string | undefined,
  progressTo: ProgressStream,
): Promise<ReplayAllOutcome> {
  const range = { untilMs: await startInstant() };
  const progress = new Progress(progressTo, 'replaying', await countIn(letters, stream, range));
  const unreplayable: DeadLetter[] = [];
  let replayed = 0;
  for await (const page of deadLetterPages(letters, stream, range, { pageSize: BATCH })) {
    for (const letter of page) {
      if (letter.data === undefined) unreplayable.push(letter);
      else if (await letters.replayDeadLetter(letter.id, letter.stream)) replayed++;
      else continue; // gone meanwhile (replayed or purged by someone else)
      progress.advance();
    }
  }
  progress.finish();
  return { replayed, unreplayable };
}

/**
 * The millisecond the run starts at, once the clock is past it: a letter dead-lettered from
 * then on (a replayed one failing again, at once) gets a later id, outside the run's range —
 * where the broker's clock is this one's (memory, a local Redis). On another clock the walk
 * still ends: it only moves forward, and the broker's time passes the bound too.
 */
async function startInstant(): Promise<number> {
  const asOf = Date.now();
  while (Date.now() <= asOf) await sleep(1);
  return asOf;
}

/** How many dead letters the walk over `range` will meet, for the progress total. */
async function countIn(
  letters: DeadLetters,
  stream: string | undefined,
  range: DeadLetterRange,
): Promise<number> {
  let total = 0;
  for await (const page of deadLetterPages(letters, stream, range, { pageSize: COUNT_BATCH }))
    total += page.length;
  return total;
}
