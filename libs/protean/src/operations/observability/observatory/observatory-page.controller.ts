import { Controller, Get, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import { OBSERVATORY_COOKIE, ObservatoryAuth, type RequestHeaders } from './observatory-auth.js';
import { ObservatoryAssets } from './observatory-assets.js';

interface PageRequest extends RequestHeaders {
  readonly originalUrl?: string;
  readonly url?: string;
  readonly secure?: boolean;
}

interface PageResponse {
  status(code: number): this;
  setHeader(name: string, value: string): unknown;
  send(body: string): unknown;
  redirect(status: number, url: string): unknown;
}

/**
 * `GET /observatory`: the page (401 and a token form when a token is configured and not
 * presented). `?token=<token>` keeps a session cookie (valid `observatory.session_ttl_seconds`) and redirects to the clean address, so
 * the token never stays in the address bar or the history.
 */
@Controller('observatory')
export class ObservatoryPageController {
  constructor(
    private readonly auth: ObservatoryAuth,
    private readonly assets: ObservatoryAssets,
  ) {}

  @Get()
  page(
    @Req() request: PageRequest,
    @Res() response: PageResponse,
    @Query('token') token?: string,
  ): void {
    const base = basePath(request);
    response.setHeader('cache-control', 'no-store');
    response.setHeader('referrer-policy', 'no-referrer');
    if (token !== undefined) {
      if (!this.auth.matches(token)) return this.login(response, base, 'That token is not right.');
      response.setHeader(
        'set-cookie',
        `${OBSERVATORY_COOKIE}=${this.auth.issueSession()}; Path=${base}; ` +
          `Max-Age=${this.auth.sessionTtlSeconds}; HttpOnly; SameSite=Strict` +
          (request.secure ? '; Secure' : ''),
      );
      response.redirect(303, base);
      return;
    }
    if (!this.auth.allows(request)) return this.login(response, base, '');
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.status(200).send(this.assets.page('observatory.html', { base: `${base}/` }));
  }

  /** The page's stylesheet and script: code, no data, so served without the token. */
  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() response: PageResponse): void {
    const asset = this.assets.get(name);
    if (!asset || name.endsWith('.html')) throw new NotFoundException(`No asset ${name}`);
    response.setHeader('content-type', asset.contentType);
    response.setHeader('cache-control', 'no-cache');
    response.status(200).send(asset.body);
  }

  private login(response: PageResponse, base: string, problem: string): void {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.status(401).send(this.assets.page('login.html', { base, problem }));
  }
}

/** Where the page is mounted (`/observatory`, or under a global prefix), without a trailing slash. */
function basePath(request: PageRequest): string {
  const path = (request.originalUrl ?? request.url ?? '/observatory').split('?')[0];
  return path.replace(/\/+$/, '') || '/observatory';
}
