import { InvalidDeadLetterScopeError } from './invalid-dead-letter-scope.error.js';

/*
 * Which dead letters an operator's action touches. The broker port reads an omitted stream as
 * "every stream"; an edge (the CLI, the Observatory) must never get there from a blank name
 * (an unset shell variable, a cleared form field), so acting on all streams is said explicitly.
 */

/** One stream's dead letters, or — said explicitly — every stream's. */
export type DeadLetterScope = { readonly stream: string } | { readonly all: true };

/** A stream name as an operator gives it: at least one character that is not blank. */
export const STREAM_NAME_FORM = /\S/;

/** How the edge calls the two inputs (`--stream` / `--all` on the CLI, `stream` / `all` in JSON). */
export interface ScopeFieldNames {
  readonly stream: string;
  readonly all: string;
}

const JSON_FIELDS: ScopeFieldNames = { stream: '"stream"', all: '"all": true' };

/** The stream a scope names, or `undefined` for every stream (as the broker port takes it). */
export const scopedStream = (scope: DeadLetterScope): string | undefined =>
  'stream' in scope ? scope.stream : undefined;

/** Refuses an empty or blank stream name, naming the field. */
export function checkStreamName(stream: string, field = JSON_FIELDS.stream): string {
  if (!STREAM_NAME_FORM.test(stream)) {
    throw new InvalidDeadLetterScopeError(
      `${field} is empty: name a stream (a dead-letter stream is <stream>:dlq)`,
    );
  }
  return stream;
}

/** The scope of a destructive action: a stream, or every stream when `all` is set; never both. */
export function deadLetterScope(
  input: { readonly stream?: string; readonly all?: boolean },
  fields: ScopeFieldNames = JSON_FIELDS,
): DeadLetterScope {
  if (input.stream !== undefined && input.all) {
    throw new InvalidDeadLetterScopeError(`give ${fields.stream} or ${fields.all}, not both`);
  }
  if (input.all) return { all: true };
  if (input.stream === undefined) {
    throw new InvalidDeadLetterScopeError(
      `name the stream (${fields.stream}), or give ${fields.all} to act on every stream`,
    );
  }
  return { stream: checkStreamName(input.stream, fields.stream) };
}
