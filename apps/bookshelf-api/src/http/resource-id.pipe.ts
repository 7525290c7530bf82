import { NotFoundException, type PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';

/**
 * A path id (`/books/:id`, `/orders/:id`): every id this API hands out is a UUID, so any other
 * text — too long, a NUL byte, not UTF-8 — names nothing. It answers 404 as an unknown id does,
 * without reaching the database (which would refuse some of them with a 500).
 */
export class ResourceIdPipe implements PipeTransform<string, string> {
  /** `resource`: `Book`, `Order`, the subject of the 404 message. */
  constructor(private readonly resource: string) {}

  transform(id: string): string {
    if (!isUUID(id)) throw new NotFoundException(`${this.resource} not found: ids are UUIDs`);
    return id;
  }
}
