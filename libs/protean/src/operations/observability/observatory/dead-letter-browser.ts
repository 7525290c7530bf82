import { Injectable } from '@nestjs/common';
import type { Broker, DeadLetter, DeadLetters } from '../../../ports/broker/broker.port.js';
import { hasDeadLetters } from '../../../ports/broker/broker-roles.js';
import { deadLetterPages } from '../../../ports/broker/dead-letter-pages.js';
import { ProteanStatus } from '../status/protean-status.js';
import type { DeadLetterCursor } from './dead-letter-cursor.js';

/** Letters read from a broker per listing while scanning. */
const SCAN_BATCH = 500;

/** Before every letter of a broker: a cursor at its start. */
const START = { id: '0-0', stream: '' };

/** Which dead letters an operator looks at: each field narrows; none given, all of them. */
export interface DeadLetterFilter {
  readonly broker?: string;
  readonly stream?: string;
  /** The handler (its consumer group) that gave up on it. */
  readonly handler?: string;
  /** Text the error contains, in any case. */
  readonly error?: string;
  /** When it reached its DLQ (ms since the epoch), from and to, both inclusive. */
  readonly sinceMs?: number;
  readonly untilMs?: number;
}

/** A dead letter and the broker that keeps it. */
export interface BrokerLetter {
  readonly broker: string;
  readonly letter: DeadLetter;
}

/** How far a scan got: the letters it matched, and where the next one goes on. */
export interface ScanResult {
  /** The letters matched (none kept when the scan was asked only to count). */
  readonly matched: BrokerLetter[];
  /** How many matched. */
  readonly count: number;
  /** Letters read, matching or not. */
  readonly scanned: number;
  /** Where to go on from; `null` once every letter in range was read. */
  readonly next: DeadLetterCursor | null;
}

/**
 * Dead letters at an operator's scale: every broker's, in one order (broker by name, then oldest
 * first by DLQ id, then stream), filtered, read in bounded scans that end with a cursor to go on
 * from — so a page, a count or a bulk action never reads more than its budget per request, however
 * many letters there are.
 */
@Injectable()
export class DeadLetterBrowser {
  constructor(private readonly status: ProteanStatus) {}

  /**
   * Reads on from `after` until `want` letters matched `filter` or `budget` letters were read.
   * The cursor returned goes on after the last letter matched (when `want` were found) or read.
   * With `keep: false` the letters are counted, not kept: a count reads far more than a page.
   */
  async scan(
    filter: DeadLetterFilter,
    after: DeadLetterCursor | undefined,
    want: number,
    budget: number,
    { keep = true } = {},
  ): Promise<ScanResult> {
    const matches = matcherOf(filter);
    const matched: BrokerLetter[] = [];
    let count = 0;
    let scanned = 0;
    const result = (next: DeadLetterCursor | null) => ({ matched, count, scanned, next });
    for (const name of this.brokerNames(filter)) {
      if (after && name < after.broker) continue;
      const broker = this.status.broker(name) as Broker & DeadLetters;
      let from = after?.broker === name ? { id: after.id, stream: after.stream } : undefined;
      const range = { after: from, sinceMs: filter.sinceMs, untilMs: filter.untilMs };
      const walk = { pageSize: SCAN_BATCH, limit: budget - scanned };
      for await (const page of deadLetterPages(broker, filter.stream, range, walk)) {
        for (const letter of page) {
          scanned++;
          from = { id: letter.id, stream: letter.stream };
          if (!matches(letter)) continue;
          count++;
          if (keep) matched.push({ broker: name, letter });
          if (count === want) return result({ broker: name, ...from });
        }
      }
      // Out of budget: go on from here (before this broker's first letter, if none was read).
      if (scanned >= budget) return result({ broker: name, ...(from ?? START) });
    }
    return result(null);
  }

  /** The brokers in use that keep dead letters, by name (or the one the filter names). */
  private brokerNames(filter: DeadLetterFilter): string[] {
    const names = filter.broker ? [filter.broker] : this.status.brokerNames();
    return [...names].sort().filter((name) => hasDeadLetters(this.status.broker(name)));
  }
}

/** The test a letter passes to be in a filter's selection (the part a broker cannot do). */
function matcherOf(filter: DeadLetterFilter): (letter: DeadLetter) => boolean {
  const error = filter.error?.toLowerCase();
  return (letter) =>
    (filter.handler === undefined || letter.provenance.group === filter.handler) &&
    (error === undefined || letter.provenance.error.toLowerCase().includes(error));
}
