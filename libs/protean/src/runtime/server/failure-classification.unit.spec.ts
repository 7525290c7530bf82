import { BrokerConnectionError } from '../../ports/broker/broker-connection.error.js';
import { BrokerOperationError } from '../../ports/broker/broker-operation.error.js';
import { BrokerReadTimeoutError } from '../../ports/broker/broker-read-timeout.error.js';
import { ConcurrencyError } from '../../core/errors/concurrency.error.js';
import { DomainRuleError } from '../../core/errors/domain-rule.error.js';
import { NotFoundError } from '../../core/errors/not-found.error.js';
import { ValidationError } from '../../core/errors/validation.error.js';
import { PermanentError } from '../../core/errors/permanent.error.js';
import { InvalidMessageError } from '../../core/messages/invalid-message.error.js';
import { OversizedMessageError } from '../../core/messages/oversized-message.error.js';
import { UndeserializableMessageError } from '../../core/messages/undeserializable-message.error.js';
import { UnknownMessageTypeError } from '../../core/messages/unknown-message-type.error.js';
import { DatabaseUnavailableError } from '../../adapters/postgresql/database-unavailable.error.js';
import { isPermanentFailure, isWorldFailure } from './failure-classification.js';

const systemError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
const pgError = (code: string) => Object.assign(new Error('server says no'), { code });

describe('failure classification', () => {
  it.each([
    ['a PermanentError thrown by a handler', new PermanentError('book 42 does not exist')],
    ['a subclass of it', new (class NoSuchBook extends PermanentError {})('no such book')],
    ['validation', new ValidationError('Invalid PlaceOrder', ['items: empty'])],
    ['a domain rule', new DomainRuleError('A book price cannot be negative')],
    ['not found', new NotFoundError('Book', '42')],
    ['undeserializable', new UndeserializableMessageError('not JSON')],
    ['oversized', new OversizedMessageError(2000, 1000, 'default')],
    ['invalid', new InvalidMessageError('Invalid envelope', ['id: missing'])],
    ['of an unknown type', new UnknownMessageTypeError('x.Y.v1')],
  ])('decides by the marker: %s is permanent', (_what, error) => {
    expect(isPermanentFailure(error)).toBe(true);
    expect(isWorldFailure(error)).toBe(false);
  });

  it('recognises the marker of another copy of the package (the global symbol), not a look-alike', () => {
    const foreign = Object.create(Error.prototype, {
      [Symbol.for('nestjs-protean.permanent')]: { value: true },
    }) as Error;
    expect(isPermanentFailure(foreign)).toBe(true);
    expect(isPermanentFailure({ name: 'PermanentError', message: 'x' })).toBe(false);
  });

  it.each([
    ['an ordinary handler error', new Error('poison book 42')],
    [
      'a type error in a handler',
      new TypeError("Cannot read properties of undefined (reading 'x')"),
    ],
    ['a concurrency conflict that outlived its retries', new ConcurrencyError('book', '1', 3, 3)],
    ['a broker refusing one command', new BrokerOperationError('default', 'WRONGTYPE')],
    ['a constraint violated by this message', pgError('23505')],
    ['a value the database cannot store', pgError('22P05')],
    ['nothing at all', undefined],
    ['a string', 'boom'],
  ])('%s is neither permanent nor a failure of the world', (_what, error) => {
    expect(isPermanentFailure(error)).toBe(false);
    expect(isWorldFailure(error)).toBe(false);
  });

  it.each([
    ['the database unavailable', new DatabaseUnavailableError('db:5432/x', 'refused')],
    ['the broker unreachable', new BrokerConnectionError('default', 'Connection is closed')],
    [
      'a blocking read that never returned',
      new BrokerReadTimeoutError('default', 'read timed out'),
    ],
    ['a connection refused', systemError('ECONNREFUSED')],
    ['a connection reset', systemError('ECONNRESET')],
    ['a name that does not resolve', systemError('ENOTFOUND')],
    ['PostgreSQL shutting down', pgError('57P01')],
    ['too many connections', pgError('53300')],
    ['a statement timeout', pgError('57014')],
    ['a connection exception', pgError('08006')],
    ['a timeout', Object.assign(new Error('The operation timed out'), { name: 'TimeoutError' })],
    ['a wrapped outage', new Error('could not save', { cause: systemError('ECONNREFUSED') })],
  ])('%s is a failure of the world', (_what, error) => {
    expect(isWorldFailure(error)).toBe(true);
    expect(isPermanentFailure(error)).toBe(false);
  });
});
