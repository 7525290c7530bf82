import { ProteanError } from '../core/errors/protean.error.js';
import type { Type } from '../core/messages/domain-types.js';

/** A class was used as an aggregate without `@Aggregate()`. */
export class NotAnAggregateError extends ProteanError {
  constructor(type: Type) {
    super(`${type.name} is not an aggregate: decorate it with @Aggregate()`);
  }
}
