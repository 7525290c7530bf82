import { ProteanError } from '../../core/errors/protean.error.js';

/** A dependency stayed unreachable for the whole startup timeout. */
export class StartupTimeoutError extends ProteanError {}
