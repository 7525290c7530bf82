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
import type { Broker } from '../../../ports/broker/broker.port.js';
import { deadLettersOf, hasDeadLetters } from '../../../ports/broker/broker-roles.js';
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
  DeadLetterListQuery,
  DeadLetterRef,
  DeadLetterScopeRef,
  TrailQuery,
} from './observatory.requests.js';
import { LiveThroughput } from './live-throughput.js';
import { ObservatoryAuth } from './observatory-auth.js';
import { ObservatoryGuard } from './observatory.guard.js';
import { MessageTrail } from './trail/message-trail.js';

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

  /** Dead letters of every broker in use (or one), oldest first, without their payloads. */
  @Get('dead-letters')
  async deadLetters(@Query(validated) query: DeadLetterListQuery): Promise<DeadLetterView[]> {
    const names = query.broker ? [query.broker] : this.status.brokerNames();
    const lists = await Promise.all(
      names.map(async (name) => {
        const broker = this.brokerOf(name);
        if (!hasDeadLetters(broker)) return [];
        const letters = await brokerCall(() =>
          broker.listDeadLetters(query.stream, query.limit ?? 100),
        );
        return letters.map((letter) => deadLetterView(name, letter));
      }),
    );
    return lists.flat();
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

  /** Everything one correlation id set off: command → events → handlers. */
  @Get('trail')
  trail(@Query(validated) query: TrailQuery) {
    return this.trails.find(query.correlationId);
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

/** The scope of a purge by the CLI's rule: naming no stream, or both, answers 400. */
function scopeOf(ref: DeadLetterScopeRef): DeadLetterScope {
  try {
    return deadLetterScope(ref);
  } catch (error) {
    if (error instanceof InvalidDeadLetterScopeError) throw new BadRequestException(error.message);
    throw error;
  }
}

function parsedOrText(data: string | undefined): unknown {
  if (data === undefined) return null;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}
