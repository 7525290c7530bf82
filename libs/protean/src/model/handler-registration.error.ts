import { ProteanError } from '../core/errors/protean.error.js';

/** The domain's handlers are wired wrongly; raised at start-up, never at the first call. */
export class HandlerRegistrationError extends ProteanError {}
