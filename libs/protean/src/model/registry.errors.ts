import { ProteanError } from '../core/errors/protean.error.js';

/** The domain's handlers are wired wrongly; raised at start-up, never at the first call. */
export class HandlerRegistrationError extends ProteanError {}

/** No handler is registered for a command. */
export class CommandHandlerNotFoundError extends ProteanError {
  constructor(readonly command: string) {
    super(`No command handler for ${command}: add a @CommandHandler(${command}) provider`);
  }
}
