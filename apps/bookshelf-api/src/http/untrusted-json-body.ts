import { isUtf8 } from 'node:buffer';
import {
  assertStorableJsonText,
  rejectForbiddenKeys,
  scanJsonText,
  UnstorableValueError,
} from 'nestjs-protean';

/** An error body-parser answers with: its `status`, and its message as the JSON error's. */
function badRequest(error: unknown): Error {
  const message = `${(error as Error).message} in the request body`;
  return Object.assign(new Error(message), { status: 400, type: 'entity.parse.failed' });
}

/** A request whose raw body held values that cannot be stored: set by `verify`, answered by {@link StorableBodyMiddleware}. */
export interface CheckedRequest {
  unstorableValues?: readonly string[];
}

/**
 * Checks the raw body before it is parsed: UTF-8 (else bytes would silently become U+FFFD),
 * nesting within Protean's limit (nothing recursive runs on hostile input), and every value
 * storable as sent (no U+0000, no lone surrogate escape, no number a 64-bit float cannot
 * keep — only the text still shows `9007199254740993`). The values found are left on the
 * request for `StorableBodyMiddleware`, which answers them like a validation error (an error
 * thrown here reaches the client as a bare message, not Nest's validation shape).
 */
function verifyBody(request: CheckedRequest, body: Buffer): void {
  if (!isUtf8(body)) throw badRequest(new Error('Invalid UTF-8'));
  const text = body.toString('utf8');
  let suspicious: boolean;
  try {
    suspicious = scanJsonText(text);
  } catch (error) {
    throw badRequest(error);
  }
  try {
    assertStorableJsonText(text, suspicious);
  } catch (error) {
    if (!(error instanceof UnstorableValueError)) throw error;
    request.unstorableValues = error.problems;
  }
}

/**
 * body-parser options for JSON bodies from outside: over `limit` is a 413; bytes that are not
 * UTF-8, nesting deeper than Protean's limit and a `__proto__`, `constructor` or `prototype`
 * key anywhere are a 400 naming the problem; values that cannot be stored as sent are noted
 * on the request for `StorableBodyMiddleware` (a 400 listing the fields).
 */
export function untrustedJsonBody(limit: string) {
  return {
    limit,
    verify: (request: CheckedRequest, _response: unknown, body: Buffer) =>
      verifyBody(request, body),
    reviver: (key: string, value: unknown) => {
      try {
        return rejectForbiddenKeys(key, value);
      } catch (error) {
        throw badRequest(error);
      }
    },
  };
}
