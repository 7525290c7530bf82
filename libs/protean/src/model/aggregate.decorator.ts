import { SetMetadata } from '@nestjs/common';
import { AGGREGATE_METADATA } from '../core/messages/protean.constants.js';
import type { AggregateMetadata } from '../core/messages/domain-types.js';

/**
 * Marks an aggregate root. `category` names its streams; it defaults to the class name in
 * lower case (`Book` → `book`).
 */
export const Aggregate = (options: Partial<AggregateMetadata> = {}): ClassDecorator => {
  return (target) => {
    const category = options.category ?? target.name.toLowerCase();
    SetMetadata(AGGREGATE_METADATA, { category } satisfies AggregateMetadata)(target);
  };
};
