import { ProteanError } from '../../core/errors/protean.error.js';

/**
 * A dead-letter action named no stream, an empty one, or both a stream and "all": refused
 * before any broker is asked, so a blank name can never stand for every stream.
 */
export class InvalidDeadLetterScopeError extends ProteanError {}
