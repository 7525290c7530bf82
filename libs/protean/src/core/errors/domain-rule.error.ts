import { PermanentError } from './permanent.error.js';

/** A domain rule refused an operation; the message says which rule. Permanent. */
export class DomainRuleError extends PermanentError {}
