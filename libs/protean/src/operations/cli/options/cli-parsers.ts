import { InvalidArgumentError } from 'commander';
import { STREAM_NAME_FORM } from '../../../ports/broker/dead-letter-scope.js';
import { STREAM_ID_FORM } from '../../../ports/broker/stream-id.js';

/*
 * Parsers for option and argument values, shared by every command so that the same kind of
 * value is refused the same way. Commander reports a refusal naming the option (or argument),
 * the value and what is allowed; `runCli` ends it as a usage error (exit 2).
 */

/**
 * A whole number from `min` to `max`, written in plain digits: `abc`, `0`, `-5`, `1.5`, `1e20`
 * and `0x10` are refused rather than read as NaN, a negative, or a float.
 */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
    if (!(parsed >= min && parsed <= max)) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return parsed;
  };
}

/** A stream name: an empty or blank one (an unset shell variable) never stands for "all". */
export function streamName(value: string): string {
  if (!STREAM_NAME_FORM.test(value)) {
    throw new InvalidArgumentError('expected a stream name, got an empty one (an unset variable?)');
  }
  return value;
}

/** A dead letter's id as `dlq list` shows it, `<ms>-<seq>`. */
export function deadLetterId(value: string): string {
  if (!STREAM_ID_FORM.test(value)) {
    throw new InvalidArgumentError(
      'expected a dead letter id <ms>-<seq>, such as 1700000000000-0 (see `dlq list`)',
    );
  }
  return value;
}
