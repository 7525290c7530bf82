import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Logger,
  NotFoundException,
  Post,
  Query,
  ServiceUnavailableException,
  Sse,
  UseGuards,
  ValidationPipe,
  type MessageEvent,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { Broker, DeadLetters } from '../../../ports/broker/broker.port.js';
import { deadLettersOf } from '../../../ports/broker/broker-roles.js';
import {
  deadLetterScope,
  scopedStream,
  type DeadLetterScope,
} from '../../../ports/broker/dead-letter-scope.js';
import { DeadLetterNotReplayableError } from '../../../ports/broker/dead-letter-not-replayable.error.js';
import { InvalidDeadLetterScopeError } from '../../../ports/broker/invalid-dead-letter-scope.error.js';
import { ProteanError } from '../../../core/errors/protean.error.js';
import { ProteanMetrics } from '../metrics/protean-metrics.js';
import { ProteanStatus } from '../status/protean-status.js';
import { deadLetterView, envelopeFacts, type DeadLetterView } from './dead-letter-view.js';
import {
  DeadLetterBrowser,
  type BrokerLetter,
  type DeadLetterFilter,
} from './dead-letter-browser.js';
import { decodeCursor, encodeCursor, type DeadLetterCursor } from './dead-letter-cursor.js';
import {
  DeadLetterBulkRequest,
  DeadLetterListQuery,
  DeadLetterSelection,
  DeadLetterRef,
  DeadLetterScopeRef,
  TrailQuery,
} from './observatory.requests.js';
import { LiveThroughput } from './live-throughput.js';
import { HISTORY_INTERVAL_MS, HISTORY_POINTS, ThroughputHistory } from './throughput-history.js';
import { ObservatoryAuth } from './observatory-auth.js';
import { ObservatoryGuard } from './observatory.guard.js';
import { MessageTrail } from './trail/message-trail.js';

/** Most letters a page reads, matching or not. */
const LIST_BUDGET = 5000;
/** Most letters a count reads (each read whole: XRANGE has no way to leave the data out). */
const COUNT_BUDGET = 20_000;
/** Most letters one bulk request replays or purges. */
const BULK_BATCH = 200;

/** A page of dead letters and where the next one starts. */
export interface DeadLetterPage {
  readonly letters: DeadLetterView[];
  readonly next: string | null;
}

const validated = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
});

/**
 * The Observatory's JSON API (and the page's data): status, live throughput over server-sent
 * events, dead letters with inspect / replay / purge, and message trails. Replays and purges
 * are logged, as an audit trail of what operators did.
 */
@UseGuards(ObservatoryGuard)
@Controller('observatory/api')
export class ObservatoryApiController {
  private readonly logger = new Logger('Observatory');

  constructor(
    private readonly status: ProteanStatus,
    private readonly metrics: ProteanMetrics,
    private readonly live: LiveThroughput,
    private readonly trails: MessageTrail,
    private readonly auth: ObservatoryAuth,
    private readonly browser: DeadLetterBrowser,
    private readonly histories: ThroughputHistory,
  ) {}

  /** Streams, groups, brokers, database, outbox and this process's engine counters. */
  @Get('overview')
  async overview() {
    const [snapshot, local] = await Promise.all([this.status.snapshot(), this.metrics.totals()]);
    return { ...snapshot, local, tokenRequired: this.auth.required };
  }

  /** One sample a second: processed, rate, lag and pending per handler; dead letters; outbox. */
  @Sse('live')
  liveSamples(): Observable<MessageEvent> {
    return this.live.stream();
  }

  /**
   * One page of the dead letters of a selection, oldest first (broker by name, then DLQ id),
   * without their payloads; `next` goes on to the next page (`null`: no more). A page reads at
   * most {@link LIST_BUDGET} letters: a rare match may take several pages, some of them short.
   */
  @Get('dead-letters')
  async deadLetters(@Query(validated) query: DeadLetterListQuery): Promise<DeadLetterPage> {
    const limit = query.limit ?? 50;
    const { matched, next } = await brokerCall(() =>
      // One more than the page, to tell whether another follows.
      this.browser.scan(this.filterOf(query), cursorOf(query.after), limit + 1, LIST_BUDGET),
    );
    const page = matched.slice(0, limit);
    const last = page.at(-1);
    const more = matched.length > limit && last ? cursorAt(last) : next;
    return {
      letters: page.map(({ broker, letter }) => deadLetterView(broker, letter)),
      next: more && encodeCursor(more),
    };
  }

  /** How many dead letters a selection holds, reading at most {@link COUNT_BUDGET} of them. */
  @Get('dead-letters/count')
  async count(@Query(validated) query: DeadLetterSelection) {
    const { count, next } = await brokerCall(() =>
      this.browser.scan(this.filterOf(query), undefined, Infinity, COUNT_BUDGET, { keep: false }),
    );
    return { count, complete: next === null };
  }

  /**
   * Replays or purges the next batch of a selection (at most {@link BULK_BATCH} letters); the
   * page calls again with `next` until it is `null`. Letters without data cannot be replayed:
   * they are counted and left. Logged, as the single actions are.
   */
  @Post('dead-letters/bulk')
  @HttpCode(200)
  async bulk(@Body(validated) request: DeadLetterBulkRequest) {
    scopeOf(request);
    const filter = this.filterOf(request);
    const asOfMs = Date.parse(request.asOf);
    const selection = { ...filter, untilMs: Math.min(filter.untilMs ?? asOfMs, asOfMs) };
    const { matched, next } = await brokerCall(() =>
      this.browser.scan(selection, cursorOf(request.after), BULK_BATCH, BULK_BATCH * 20),
    );
    let done = 0;
    let unreplayable = 0;
    if (request.action === 'replay') {
      for (const { broker, letter } of matched) {
        if (letter.data === undefined) unreplayable++;
        else if (
          await brokerCall(() => this.lettersOf(broker).replayDeadLetter(letter.id, letter.stream))
        )
          done++;
      }
    } else {
      for (const [key, ids] of groupIds(matched)) {
        const [broker, stream] = key.split('\n');
        done += await brokerCall(() => this.lettersOf(broker).removeDeadLetters(stream, ids));
      }
    }
    this.logger.warn(
      `${request.action === 'replay' ? 'Replayed' : 'Purged'} ${done} dead letter(s) of ` +
        `${describeSelection(request)} from the Observatory` +
        (unreplayable > 0 ? `; ${unreplayable} without data left` : ''),
    );
    return { action: request.action, done, unreplayable, next: next && encodeCursor(next) };
  }

  /** One dead letter with its message, payload included: an explicit look. */
  @Get('dead-letters/inspect')
  async inspect(@Query(validated) ref: DeadLetterRef) {
    const broker = this.brokerOf(ref.broker);
    const letter = await brokerCall(() =>
      deadLettersOf(broker, 'inspect dead letters').inspectDeadLetter(ref.id, ref.stream),
    );
    if (!letter) throw new NotFoundException(`No dead letter ${ref.id} on ${ref.stream}:dlq`);
    return {
      ...deadLetterView(ref.broker, letter),
      provenance: letter.provenance,
      data: parsedOrText(letter.data),
    };
  }

  /** Publishes the dead letter back to its stream and removes it from the DLQ. */
  @Post('dead-letters/replay')
  @HttpCode(200)
  async replay(@Body(validated) ref: DeadLetterRef) {
    const broker = this.brokerOf(ref.broker);
    const letter = await brokerCall(() =>
      deadLettersOf(broker, 'inspect dead letters').inspectDeadLetter(ref.id, ref.stream),
    );
    const replayed =
      letter !== undefined &&
      (await brokerCall(() =>
        deadLettersOf(broker, 'replay dead letters').replayDeadLetter(ref.id, ref.stream),
      ));
    if (!letter || !replayed)
      throw new NotFoundException(`No dead letter ${ref.id} on ${ref.stream}:dlq`);
    const facts = envelopeFacts(letter.data);
    this.logger.log(
      `Replayed dead letter ${ref.id} of ${ref.stream} (group ${letter.provenance.group}` +
        `${facts ? `, ${facts.type} ${facts.id}` : ''}) from the Observatory`,
    );
    return { replayed: true };
  }

  /** Deletes every dead letter of one stream, or of all streams when asked with `all: true`. */
  @Post('dead-letters/purge')
  @HttpCode(200)
  async purge(@Body(validated) ref: DeadLetterScopeRef) {
    const broker = this.brokerOf(ref.broker);
    const stream = scopedStream(scopeOf(ref));
    const purged = await brokerCall(() =>
      deadLettersOf(broker, 'purge dead letters').purgeDeadLetters(stream),
    );
    this.logger.warn(
      `Purged ${purged} dead letter(s) of ${stream ?? 'every stream'} of broker "${ref.broker}" from the Observatory`,
    );
    return { purged };
  }

  /** Each handler's throughput and lag over the last hour, one point per interval. */
  @Get('history')
  history() {
    return {
      intervalMs: HISTORY_INTERVAL_MS,
      points: HISTORY_POINTS,
      subscriptions: this.histories.all(),
    };
  }

  /** Everything one correlation id set off: command → events → handlers. */
  @Get('trail')
  trail(@Query(validated) query: TrailQuery) {
    return this.trails.find(query.correlationId);
  }

  /** The filter a request's selection says, its broker checked and its times read. */
  private filterOf(selection: DeadLetterSelection): DeadLetterFilter {
    if (selection.broker !== undefined) this.brokerOf(selection.broker);
    const time = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text));
    return {
      broker: selection.broker,
      stream: selection.stream,
      handler: selection.handler,
      error: selection.error,
      sinceMs: time(selection.since),
      untilMs: time(selection.until),
    };
  }

  private lettersOf(name: string): Broker & DeadLetters {
    return deadLettersOf(this.brokerOf(name), 'act on dead letters');
  }

  private brokerOf(name: string): Broker {
    if (!this.status.brokerNames().includes(name))
      throw new NotFoundException(`No broker "${name}" in use here`);
    return this.status.broker(name);
  }
}

/** Broker errors answer with their message: 409 for a letter that cannot be replayed, 503 otherwise. */
async function brokerCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DeadLetterNotReplayableError) throw new ConflictException(error.message);
    if (error instanceof ProteanError) throw new ServiceUnavailableException(error.message);
    throw error;
  }
}

/** The scope of a purge or bulk action by the CLI's rule: naming no stream, or both, is a 400. */
function scopeOf(ref: { readonly stream?: string; readonly all?: true }): DeadLetterScope {
  try {
    return deadLetterScope(ref);
  } catch (error) {
    if (error instanceof InvalidDeadLetterScopeError) throw new BadRequestException(error.message);
    throw error;
  }
}

/** The cursor a request's `after` carries; 400 for text this API did not give out. */
function cursorOf(after: string | undefined): DeadLetterCursor | undefined {
  if (after === undefined) return undefined;
  const cursor = decodeCursor(after);
  if (!cursor) throw new BadRequestException('after must be the next of a previous answer');
  return cursor;
}

const cursorAt = ({ broker, letter }: BrokerLetter): DeadLetterCursor => ({
  broker,
  stream: letter.stream,
  id: letter.id,
});

/** The ids of `letters` per broker and stream (`<broker>\n<stream>`). */
function groupIds(letters: readonly BrokerLetter[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const { broker, letter } of letters) {
    const key = `${broker}\n${letter.stream}`;
    groups.set(key, [...(groups.get(key) ?? []), letter.id]);
  }
  return groups;
}

/** A selection in words, for the audit log. */
function describeSelection(request: DeadLetterBulkRequest): string {
  const parts = [
    request.stream !== undefined ? `stream ${request.stream}` : 'every stream',
    request.broker && `broker "${request.broker}"`,
    request.handler && `handler ${request.handler}`,
    request.error && `error containing "${request.error}"`,
    request.since && `since ${request.since}`,
    `until ${request.until && Date.parse(request.until) < Date.parse(request.asOf) ? request.until : request.asOf}`,
  ];
  return parts.filter(Boolean).join(', ');
}

function parsedOrText(data: string | undefined): unknown {
  if (data === undefined) return null;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}
