import { randomUUID } from 'node:crypto';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { CorrelationContext } from '../core/context/correlation-context.js';

export const CORRELATION_HEADER = 'x-correlation-id';
/** What an offered correlation id may look like: a short token, safe in logs and headers. */
export const ACCEPTABLE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

interface HeaderCarrier {
  headers: Record<string, string | string[] | undefined>;
}
interface HeaderSetter {
  setHeader(name: string, value: string): unknown;
}

/**
 * Starts a correlation context per HTTP request: the caller's `X-Correlation-Id` when it is a
 * sane token, a new UUID otherwise. The id is echoed in the response header.
 */
@Injectable()
export class CorrelationMiddleware implements NestMiddleware {
  use(request: HeaderCarrier, response: HeaderSetter, next: () => void): void {
    const offered = request.headers[CORRELATION_HEADER];
    const correlationId =
      typeof offered === 'string' && ACCEPTABLE_CORRELATION_ID.test(offered)
        ? offered
        : randomUUID();
    response.setHeader(CORRELATION_HEADER, correlationId);
    CorrelationContext.run({ correlationId, causationId: correlationId }, next);
  }
}
