import {
  Equals,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Type } from 'class-transformer';
import { STREAM_NAME_FORM } from '../../../ports/broker/dead-letter-scope.js';
import { STREAM_ID_FORM } from '../../../ports/broker/stream-id.js';
import { MAX_CURSOR_LENGTH } from './dead-letter-cursor.js';

/** Names a broker as configured (`default`, or a key under `[brokers.*]`). */
const BROKER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The same rule as the CLI's `--stream`: an empty name never stands for every stream. */
const STREAM_NAME = { message: 'stream must name a stream, not be empty' };

/**
 * Which dead letters: a broker, a stream, the handler that gave up, text in the error, and when
 * they reached their DLQ (ISO-8601 times, both inclusive). Each narrows; none, every letter.
 */
export class DeadLetterSelection {
  @IsOptional() @Matches(BROKER_NAME) broker?: string;
  @IsOptional() @IsString() @Matches(STREAM_NAME_FORM, STREAM_NAME) stream?: string;
  @IsOptional() @IsString() @Length(1, 200) handler?: string;
  @IsOptional() @IsString() @Length(1, 200) error?: string;
  @IsOptional() @IsISO8601({ strict: true }) since?: string;
  @IsOptional() @IsISO8601({ strict: true }) until?: string;
}

/** `GET /observatory/api/dead-letters?…&after=&limit=`: one page of a selection. */
export class DeadLetterListQuery extends DeadLetterSelection {
  /** The `next` of the previous page. */
  @IsOptional() @IsString() @MaxLength(MAX_CURSOR_LENGTH) after?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/**
 * `POST /observatory/api/dead-letters/bulk`: replay or purge a selection, a batch per request.
 * As for the CLI, the selection names a stream or says `"all": true`; `asOf` is when the operator
 * confirmed it, so letters dead-lettered later (a replayed one failing again) are left alone.
 */
export class DeadLetterBulkRequest extends DeadLetterSelection {
  @IsIn(['replay', 'purge'], { message: 'action must be "replay" or "purge"' })
  action!: 'replay' | 'purge';
  @IsOptional() @Equals(true, { message: 'all must be true when given' }) all?: true;
  @IsISO8601({ strict: true }) asOf!: string;
  /** The `next` of the previous batch. */
  @IsOptional() @IsString() @MaxLength(MAX_CURSOR_LENGTH) after?: string;
}

/** One dead letter: its broker, its stream (the DLQ is `<stream>:dlq`) and its DLQ entry id. */
export class DeadLetterRef {
  @Matches(BROKER_NAME) broker!: string;
  @IsString() @Matches(STREAM_NAME_FORM, STREAM_NAME) stream!: string;
  @Matches(STREAM_ID_FORM, { message: 'id must be a stream entry id such as 1700000000000-0' })
  id!: string;
}

/**
 * The dead letters of one stream of one broker, or — said with `"all": true` — of all its
 * streams; which one, and never both, `deadLetterScope` decides (as for the CLI).
 */
export class DeadLetterScopeRef {
  @Matches(BROKER_NAME) broker!: string;
  @IsOptional() @IsString() stream?: string;
  @IsOptional() @Equals(true, { message: 'all must be true when given' }) all?: true;
}

/** `GET /observatory/api/trail?correlationId=`: a request's id, or an external entry's `<stream>/<id>`. */
export class TrailQuery {
  @Matches(/^[A-Za-z0-9._:/-]{1,256}$/, { message: 'correlationId must be a correlation id' })
  correlationId!: string;
}
