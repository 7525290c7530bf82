import { ProteanError } from '../../../core/errors/protean.error.js';

/** A dead letter id that no DLQ holds. */
export class DeadLetterNotFoundError extends ProteanError {
  constructor(id: string, stream?: string) {
    super(`No dead letter ${id}${stream ? ` on ${stream}:dlq` : ''}; see \`dlq list\``);
  }
}
