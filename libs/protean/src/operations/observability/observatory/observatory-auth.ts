import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ProteanConfig } from '../../../core/config/config.schema.js';
import { PROTEAN_CONFIG } from '../../../core/protean.tokens.js';

/** The cookie the page keeps its session in (signed by the token, never the token). */
export const OBSERVATORY_COOKIE = 'protean_observatory';

/** A session issued this far in the future (clock skew between API instances) still counts. */
const CLOCK_SKEW_SECONDS = 60;

/** The headers of a request, as Node gives them. */
export interface RequestHeaders {
  readonly headers: Record<string, string | string[] | undefined>;
}

/**
 * The Observatory's access rule: open when `observatory.token` is not set; otherwise every
 * request must carry the token — `Authorization: Bearer <token>` (scripts), or the session
 * cookie the page sets after `/observatory?token=<token>` (browsers, including the
 * server-sent events, which cannot send headers). A session is `<issued at>.<HMAC>`, signed
 * with the token: it ends after `observatory.session_ttl_seconds`, and every session ends when
 * the token changes. Comparisons take constant time.
 */
@Injectable()
export class ObservatoryAuth {
  private readonly token: string | undefined;
  /** How long a session lasts, in seconds. */
  readonly sessionTtlSeconds: number;

  constructor(@Inject(PROTEAN_CONFIG) config: ProteanConfig) {
    this.token = config.observatory.token;
    this.sessionTtlSeconds = config.observatory.session_ttl_seconds;
  }

  /** Whether a token is configured. */
  get required(): boolean {
    return this.token !== undefined;
  }

  /** Whether the request may see the Observatory (`now` in ms since the epoch). */
  allows(request: RequestHeaders, now = Date.now()): boolean {
    if (this.token === undefined) return true;
    const bearer = header(request, 'authorization')?.match(/^Bearer\s+(.+)$/i)?.[1];
    if (bearer !== undefined && this.matches(bearer)) return true;
    const session = cookie(request, OBSERVATORY_COOKIE);
    return session !== undefined && this.validSession(session, now);
  }

  /** Whether `offered` is the configured token. */
  matches(offered: string): boolean {
    return this.token !== undefined && sameText(digest(offered), digest(this.token));
  }

  /** A new session cookie value, issued at `now` (ms since the epoch). */
  issueSession(now = Date.now()): string {
    const issuedAt = Math.floor(now / 1000);
    return `${issuedAt}.${this.signature(issuedAt)}`;
  }

  private validSession(session: string, now: number): boolean {
    const [, issued, signature] = /^(\d{1,12})\.([\w-]{1,100})$/.exec(session) ?? [];
    if (issued === undefined || signature === undefined) return false;
    const issuedAt = Number(issued);
    const age = Math.floor(now / 1000) - issuedAt;
    if (age >= this.sessionTtlSeconds || age < -CLOCK_SKEW_SECONDS) return false;
    return sameText(signature, this.signature(issuedAt));
  }

  private signature(issuedAt: number): string {
    return createHmac('sha256', this.token ?? '')
      .update(`protean observatory session ${issuedAt}`)
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
