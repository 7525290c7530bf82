import {
  BadRequestException,
  Injectable,
  type ArgumentMetadata,
  type PipeTransform,
} from '@nestjs/common';
import { stringProblem } from '#protean';

/**
 * Refuses a route or query parameter no database could hold (U+0000, a lone surrogate) with
 * 400 naming it: looked up as it is, PostgreSQL would refuse the query itself (a 500).
 */
@Injectable()
export class StorableTextPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    const problem = typeof value === 'string' ? stringProblem(value) : undefined;
    if (problem !== undefined)
      throw new BadRequestException([`${metadata.data ?? 'parameter'}: ${problem}`]);
    return value;
  }
}
