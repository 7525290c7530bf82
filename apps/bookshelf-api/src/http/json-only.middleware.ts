import { Injectable, UnsupportedMediaTypeException, type NestMiddleware } from '@nestjs/common';

interface RequestLike {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** Bodies must be JSON: anything else is a 415 instead of a confusing validation error. */
@Injectable()
export class JsonOnlyMiddleware implements NestMiddleware {
  use(request: RequestLike, _response: unknown, next: (error?: unknown) => void): void {
    const type = request.headers['content-type'];
    const hasBody =
      request.headers['content-length'] !== '0' || request.headers['transfer-encoding'];
    if (
      WITH_BODY.has(request.method) &&
      hasBody &&
      !(typeof type === 'string' && /^application\/(.+\+)?json\b/i.test(type))
    ) {
      next(new UnsupportedMediaTypeException('Content-Type must be application/json'));
      return;
    }
    next();
  }
}
