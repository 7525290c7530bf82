import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ProteanConfig } from '../../config/config.schema.js';
import { PROTEAN_CONFIG } from '../../protean.tokens.js';

/** The cookie the page keeps its session in (a digest of the token, never the token). */
export const OBSERVATORY_COOKIE = 'protean_observatory';

/** The headers of a request, as Node gives them. */
export interface RequestHeaders {
  readonly headers: Record<string, string | string[] | undefined>;
}

/**
 * The Observatory's access rule: open when `observatory.token` is not set; otherwise every
 * request must carry the token — `Authorization: Bearer <token>` (scripts), or the session
 * cookie the page sets after `/observatory?token=<token>` (browsers, including the
 * server-sent events, which cannot send headers). Comparisons take constant time.
 */
@Injectable()
export class ObservatoryAuth {
  private readonly token: string | undefined;

  constructor(@Inject(PROTEAN_CONFIG) config: ProteanConfig) {
    this.token = config.observatory.token;
  }

  /** Whether a token is configured. */
  get required(): boolean {
    return this.token !== undefined;
  }

  /** Whether the request may see the Observatory. */
  allows(request: RequestHeaders): boolean {
    if (this.token === undefined) return true;
    const bearer = header(request, 'authorization')?.match(/^Bearer\s+(.+)$/i)?.[1];
    if (bearer !== undefined && this.matches(bearer)) return true;
    const session = cookie(request, OBSERVATORY_COOKIE);
    return session !== undefined && sameText(session, this.session());
  }

  /** Whether `offered` is the configured token. */
  matches(offered: string): boolean {
    return this.token !== undefined && sameText(digest(offered), digest(this.token));
  }

  /** The cookie value that stands for the token. */
  session(): string {
    return createHmac('sha256', this.token ?? '')
      .update('protean observatory session')
      .digest('base64url');
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function header(request: RequestHeaders, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function cookie(request: RequestHeaders, name: string): string | undefined {
  for (const part of (header(request, 'cookie') ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name)
      return part.slice(separator + 1).trim();
  }
  return undefined;
}
