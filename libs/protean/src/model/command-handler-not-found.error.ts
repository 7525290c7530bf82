import { ProteanError } from '../core/errors/protean.error.js';

/** No handler is registered for a command. */
export class CommandHandlerNotFoundError extends ProteanError {
  constructor(readonly command: string) {
    super(`No command handler for ${command}: add a @CommandHandler(${command}) provider`);
  }
}
