import { ProteanError } from '../../core/errors/protean.error.js';

/** A unit of work was asked to join an application's transaction it cannot join. */
export class JoinedTransactionError extends ProteanError {}
