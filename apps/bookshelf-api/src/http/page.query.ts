import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `?limit=&offset=` of list routes. */
export class PageQuery {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(1000)
  @IsInt()
  readonly limit: number = 100;

  /* Bounded so every accepted value is exact in a JS number and fits PostgreSQL's bigint. */
  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: Number.MAX_SAFE_INTEGER })
  @IsOptional()
  @Type(() => Number)
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  @IsInt()
  readonly offset: number = 0;
}
