import { ProteanError } from '../core/errors/protean.error.js';
import type { Type } from '../core/messages/domain-types.js';

/** A class was used as a read model without `@Projection()`. */
export class NotAProjectionError extends ProteanError {
  constructor(type: Type) {
    super(`${type.name} is not a projection: decorate it with @Projection()`);
  }
}
