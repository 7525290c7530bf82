import { PermanentError } from '../errors/permanent.error.js';

/** The text of a message is not JSON, or is JSON no handler may safely see. */
export class UndeserializableMessageError extends PermanentError {}
