import { BadRequestException, Injectable, type NestMiddleware } from '@nestjs/common';
import type { CheckedRequest } from './untrusted-json-body.js';

/**
 * Answers a body holding values that cannot be stored as sent (found by `untrustedJsonBody`
 * on the raw text) with 400 in the shape of a validation error, `message` listing the fields:
 * a 202 is a promise, so nothing the system cannot store is ever accepted.
 */
@Injectable()
export class StorableBodyMiddleware implements NestMiddleware {
  use(request: CheckedRequest, _response: unknown, next: (error?: unknown) => void): void {
    const problems = request.unstorableValues;
    next(problems?.length ? new BadRequestException([...problems]) : undefined);
  }
}
