import { type DeadLetter } from '../../../ports/broker/broker.port.js';
import { ProteanError } from '../../../core/errors/protean.error.js';

/** Unreplayable letters named in the error; the rest are counted. */
const NAMED_AT_MOST = 20;

/** Some dead letters have no data field, so nothing could be replayed for them. */
export class DeadLettersNotReplayedError extends ProteanError {
  constructor(letters: readonly DeadLetter[]) {
    const named = letters.slice(0, NAMED_AT_MOST).map((l) => `${l.stream} ${l.id}`);
    const more =
      letters.length > NAMED_AT_MOST ? `, and ${letters.length - NAMED_AT_MOST} more` : '';
    super(
      `${letters.length} dead letter(s) not replayed, they have no data field: ` +
        `${named.join(', ')}${more}; they stay in the DLQ (dlq inspect ID --stream S)`,
    );
  }
}
