/** Where progress goes: a stream that may be a terminal. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const REDRAW_EVERY_MS = 80;
const BAR_WIDTH = 30;

/**
 * Progress of long work, on stderr so stdout keeps only the command's result: a bar redrawn
 * in place on a terminal, plain lines otherwise (a log file, CI) — one per `lineEvery` items
 * and one at the end.
 */
export class Progress {
  private done = 0;
  private lastDraw = 0;
  private lastLine = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly stream: ProgressStream,
    private readonly label: string,
    /** How many items there are; `undefined` when unknown (no bar, just the count). */
    private total: number | undefined,
    private readonly lineEvery = 100,
  ) {}

  /** The total, once known or changed. */
  setTotal(total: number): void {
    this.total = total;
  }

  /** `count` more items are done. */
  advance(count = 1): void {
    this.done += count;
    if (this.stream.isTTY) {
      if (Date.now() - this.lastDraw >= REDRAW_EVERY_MS) this.draw();
    } else if (this.done - this.lastLine >= this.lineEvery) {
      this.lastLine = this.done;
      this.stream.write(`${this.label}: ${this.counted()}\n`);
    }
  }

  /** The work is over: the final state, and a new line on a terminal. */
  finish(): void {
    if (this.stream.isTTY) {
      this.draw();
      this.stream.write('\n');
    } else if (this.done !== this.lastLine || this.done === 0) {
      this.stream.write(`${this.label}: ${this.counted()}\n`);
    }
  }

  private counted(): string {
    return this.total === undefined ? `${this.done}` : `${this.done}/${this.total}`;
  }

  private draw(): void {
    this.lastDraw = Date.now();
    const seconds = (Date.now() - this.startedAt) / 1000;
    const rate = seconds > 0 ? ` ${Math.round(this.done / seconds)}/s` : '';
    let bar = '';
    if (this.total !== undefined && this.total > 0) {
      const share = Math.min(1, this.done / this.total);
      const filled = Math.round(share * BAR_WIDTH);
      bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${Math.round(share * 100)}% `;
    }
    this.stream.write(`\r\x1b[2K${this.label} ${bar}${this.counted()}${rate}`);
  }
}
