import { assertJsonDepth, rejectForbiddenKeys } from 'nestjs-protean';

/** An error body-parser answers with: its `status`, and its message as the JSON error's. */
function badRequest(error: unknown): Error {
  const message = `${(error as Error).message} in the request body`;
  return Object.assign(new Error(message), { status: 400, type: 'entity.parse.failed' });
}

/**
 * body-parser options for JSON bodies from outside: over `limit` is a 413; nesting deeper than
 * Protean's limit (checked on the raw text, before anything recursive runs) and a `__proto__`,
 * `constructor` or `prototype` key anywhere are a 400 naming the problem.
 */
export function untrustedJsonBody(limit: string) {
  return {
    limit,
    verify: (_request: unknown, _response: unknown, body: Buffer) => {
      try {
        assertJsonDepth(body.toString('utf8'));
      } catch (error) {
        throw badRequest(error);
      }
    },
    reviver: (key: string, value: unknown) => {
      try {
        return rejectForbiddenKeys(key, value);
      } catch (error) {
        throw badRequest(error);
      }
    },
  };
}
