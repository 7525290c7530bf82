import {
  getMetadataStorage,
  validateSync,
  type ValidationError as ClassValidatorError,
} from 'class-validator';
import { plainToInstance } from 'class-transformer';
import type { Type } from './domain-types.js';
import { unstorableValueProblems } from './json-fidelity.js';
import { flatInstance } from './flat-instance.js';
import { InvalidMessageError } from './invalid-message.error.js';

/** Flattens class-validator errors to `field: reason` lines, nested fields dotted. */
export function describeValidationErrors(
  errors: readonly ClassValidatorError[],
  prefix = '',
): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((reason) => `${path}: ${reason}`);
    return [...own, ...describeValidationErrors(error.children ?? [], `${path}.`)];
  });
}

/**
 * Checks a message: its class-validator rules, and that every value in it can be stored and
 * carried as it is (`json-fidelity.ts`: no U+0000, no lone surrogate, no number JSON cannot
 * keep). Resolves to the problems found, fields named; none when valid.
 */
export function problemsOf(message: object): string[] {
  const problems = unstorableValueProblems(message);
  if (!hasValidationRules(message.constructor)) return problems;
  return [
    ...problems,
    ...describeValidationErrors(validateSync(message, { forbidUnknownValues: false })),
  ];
}

/** Per class: whether class-validator holds a rule for it (its own or inherited). */
const withRules = new WeakMap<object, boolean>();

/**
 * Whether `type` has class-validator rules. Read once per class — decorators have run when a
 * class is defined — because class-validator looks the rules up again on every call, walking
 * every validated class of the process: a message class without rules (most events) then
 * skips validation's cost entirely.
 */
function hasValidationRules(type: unknown): boolean {
  // An object without a class (no prototype) has no rules; class-validator would throw on it.
  if (typeof type !== 'function') return false;
  let known = withRules.get(type);
  if (known === undefined) {
    const rules = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
    known = rules.length > 0;
    withRules.set(type, known);
  }
  return known;
}

/**
 * Builds a message instance from a plain payload (no validation), as class-transformer does.
 * A payload it cannot build — class-transformer throws a bare `TypeError` for an object where
 * a `@Type(() => Date)` field expects a date, say — is an invalid message, a permanent
 * failure: `InvalidMessageError` naming the fields that cannot be built.
 */
export function instantiate<T extends object>(type: Type<T>, payload: Record<string, unknown>): T {
  try {
    return flatInstance(type, payload);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidMessageError(
      `Payload cannot be built as ${type.name}`,
      unbuildableFields(type, payload).map((field) => `${field}: ${reason}`),
    );
  }
}

/** The payload's fields that cannot be built alone (the failure path only: one try each). */
function unbuildableFields(type: Type<object>, payload: Record<string, unknown>): string[] {
  const fields = Object.keys(payload).filter((field) => {
    try {
      plainToInstance(type, { [field]: payload[field] });
      return false;
    } catch {
      return true;
    }
  });
  // Fields that fail only together are named together.
  return fields.length > 0 ? fields : [Object.keys(payload).join(', ') || '(payload)'];
}

/** The plain JSON payload of a message instance. */
export function payloadOf(message: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(message)) as Record<string, unknown>;
}
