import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { Type } from 'class-transformer';

/** Names a broker as configured (`default`, or a key under `[brokers.*]`). */
const BROKER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** `GET /observatory/api/dead-letters?broker=&stream=&limit=`. */
export class DeadLetterListQuery {
  @IsOptional() @Matches(BROKER_NAME) broker?: string;
  @IsOptional() @IsString() @MinLength(1) stream?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/** One dead letter: its broker, its stream (the DLQ is `<stream>:dlq`) and its DLQ entry id. */
export class DeadLetterRef {
  @Matches(BROKER_NAME) broker!: string;
  @IsString() @MinLength(1) stream!: string;
  @Matches(/^\d+-\d+$/, { message: 'id must be a stream entry id such as 1700000000000-0' })
  id!: string;
}

/** The dead letters of one stream of one broker. */
export class DeadLetterStreamRef {
  @Matches(BROKER_NAME) broker!: string;
  @IsString() @MinLength(1) stream!: string;
}

/** `GET /observatory/api/trail?correlationId=`: a request's id, or an external entry's `<stream>/<id>`. */
export class TrailQuery {
  @Matches(/^[A-Za-z0-9._:/-]{1,256}$/, { message: 'correlationId must be a correlation id' })
  correlationId!: string;
}
