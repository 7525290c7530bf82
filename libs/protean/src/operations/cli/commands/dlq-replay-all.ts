import type { DeadLetter, DeadLetters } from '../../../ports/broker/broker.port.js';
import { compareDeadLetters, deadLetterPages } from '../../../ports/broker/dead-letter-pages.js';
import { streamIdTimeMs } from '../../../ports/broker/stream-id.js';
import { Progress, type ProgressStream } from '../output/progress.js';

/** Dead letters read per listing while replaying. */
const PAGE = { pageSize: 100 };
/** Dead letters read per listing while counting (no replay between two listings). */
const COUNT_PAGE = { pageSize: 1000 };

/** What `replay-all` did: how many it replayed, and the letters it had to leave (no data). */
export interface ReplayAllOutcome {
  readonly replayed: number;
  readonly unreplayable: readonly DeadLetter[];
}

/**
 * Replays the dead letters of `stream` (or of every stream: `stream` undefined) that are there
 * when it starts, oldest first, with progress on `progressTo`. A first walk counts them and
 * notes the last; the replay walks again with a forward cursor and stops after that one. A
 * letter that fails again returns to its DLQ with a later id, after the last, and waits for the
 * next run — so the run always ends. The bound is the broker's own id, not this machine's
 * clock. A letter without data is passed and reported, never a reason to stop.
 */
export async function replayDeadLetters(
  letters: DeadLetters,
  stream: string | undefined,
  progressTo: ProgressStream,
): Promise<ReplayAllOutcome> {
  const { total, last } = await survey(letters, stream);
  const progress = new Progress(progressTo, 'replaying', total);
  const unreplayable: DeadLetter[] = [];
  let replayed = 0;
  for await (const letter of last ? upTo(letters, stream, last) : []) {
    if (letter.data === undefined) unreplayable.push(letter);
    else if (await letters.replayDeadLetter(letter.id, letter.stream)) replayed++;
    else continue; // gone meanwhile (replayed or purged by someone else)
    progress.advance();
  }
  progress.finish();
  return { replayed, unreplayable };
}

/** How many dead letters there are now, and the last of them in the listing's order. */
async function survey(
  letters: DeadLetters,
  stream: string | undefined,
): Promise<{ total: number; last: DeadLetter | undefined }> {
  let total = 0;
  let last: DeadLetter | undefined;
  for await (const page of deadLetterPages(letters, stream, {}, COUNT_PAGE)) {
    total += page.length;
    last = page[page.length - 1];
  }
  return { total, last };
}

/** The dead letters up to `last` (inclusive), in the listing's order, read page by page. */
async function* upTo(
  letters: DeadLetters,
  stream: string | undefined,
  last: DeadLetter,
): AsyncGenerator<DeadLetter, void, undefined> {
  // Past the last letter's millisecond nothing need be read; within it, the order decides.
  const range = { untilMs: streamIdTimeMs(last.id) };
  for await (const page of deadLetterPages(letters, stream, range, PAGE)) {
    for (const letter of page) {
      if (compareDeadLetters(letter, last) > 0) return;
      yield letter;
    }
  }
}
