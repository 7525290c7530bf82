import { ValidationError } from '../domain/domain.errors.js';
import {
  InvalidMessageError,
  UndeserializableMessageError,
  UnknownMessageTypeError,
} from '../messages/message.errors.js';

/** Failures that no retry can fix: the message goes to the dead-letter stream at once. */
export function isPermanentFailure(error: unknown): boolean {
  return (
    error instanceof UndeserializableMessageError ||
    error instanceof InvalidMessageError ||
    error instanceof UnknownMessageTypeError ||
    error instanceof ValidationError
  );
}
