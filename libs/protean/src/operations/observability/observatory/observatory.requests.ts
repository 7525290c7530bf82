import { Equals, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { STREAM_NAME_FORM } from '../../../ports/broker/dead-letter-scope.js';
import { STREAM_ID_FORM } from '../../../ports/broker/stream-id.js';

/** Names a broker as configured (`default`, or a key under `[brokers.*]`). */
const BROKER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The same rule as the CLI's `--stream`: an empty name never stands for every stream. */
const STREAM_NAME = { message: 'stream must name a stream, not be empty' };

/** `GET /observatory/api/dead-letters?broker=&stream=&limit=`. */
export class DeadLetterListQuery {
  @IsOptional() @Matches(BROKER_NAME) broker?: string;
  @IsOptional() @IsString() @Matches(STREAM_NAME_FORM, STREAM_NAME) stream?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
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
