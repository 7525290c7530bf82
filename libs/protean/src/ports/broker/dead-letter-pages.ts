import type { DeadLetter, DeadLetterRange, DeadLetters } from './broker.port.js';
import { compareStreamIds } from './stream-id.js';

/** The listing order: by id, then by stream where two DLQs hold the same id. */
export function compareDeadLetters(a: DeadLetter, b: DeadLetter): number {
  return compareStreamIds(a.id, b.id) || (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0);
}

/** How a walk over dead letters reads. */
export interface DeadLetterWalk {
  /** Letters asked for per listing. */
  readonly pageSize: number;
  /** The most letters read in all; none given, every letter in range. */
  readonly limit?: number;
}

/**
 * The one way to walk dead letters: those of `stream` (of every stream when `undefined`) within
 * `range`, page by page in the listing order (by id, then stream). Each page is listed after the
 * last letter of the page before — a keyset cursor that only moves forward — so a letter is met
 * at most once however the DLQs change meanwhile, and with `range.untilMs` the walk ends even
 * while letters keep arriving (they come later, after the bound). It stops after `limit` letters
 * or at the first page shorter than asked for; a page is never empty.
 */
export async function* deadLetterPages(
  letters: DeadLetters,
  stream: string | undefined,
  range: DeadLetterRange,
  { pageSize, limit = Infinity }: DeadLetterWalk,
): AsyncGenerator<DeadLetter[], void, undefined> {
  let after = range.after;
  for (let read = 0; read < limit;) {
    const asked = Math.min(pageSize, limit - read);
    const page = await letters.listDeadLetters(stream, asked, { ...range, after });
    if (page.length > 0) yield page;
    if (page.length < asked) return;
    read += page.length;
    const last = page[page.length - 1];
    after = { id: last.id, stream: last.stream };
  }
}
