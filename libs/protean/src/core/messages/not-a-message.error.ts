import type { Type } from './domain-types.js';
import { ProteanError } from '../errors/protean.error.js';

/** A class was used as a command or event without `@DomainCommand` / `@DomainEvent`. */
export class NotAMessageError extends ProteanError {
  constructor(type: Type) {
    super(`${type.name} is not a message: decorate it with @DomainCommand or @DomainEvent`);
  }
}
