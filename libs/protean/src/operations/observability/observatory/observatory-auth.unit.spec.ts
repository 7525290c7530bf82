import { loadConfiguration } from '../../../core/config/load-configuration.js';
import { OBSERVATORY_COOKIE, ObservatoryAuth } from './observatory-auth.js';

const authWith = (token?: string, ttl?: number) =>
  new ObservatoryAuth(
    loadConfiguration({
      embedded: true,
      overrides: token ? { observatory: { token, session_ttl_seconds: ttl ?? 3600 } } : {},
    }),
  );
const request = (headers: Record<string, string>) => ({ headers });
const withSession = (session: string) => request({ cookie: `${OBSERVATORY_COOKIE}=${session}` });
const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);

describe('Observatory access', () => {
  it('is open when no token is configured', () => {
    const auth = authWith();
    expect(auth.required).toBe(false);
    expect(auth.allows(request({}))).toBe(true);
  });

  it('needs the token as a bearer header or the session cookie when one is configured', () => {
    const auth = authWith('s3cret');
    expect(auth.allows(request({}))).toBe(false);
    expect(auth.allows(request({ authorization: 'Bearer s3cret' }))).toBe(true);
    expect(auth.allows(request({ authorization: 'Bearer s3cret!' }))).toBe(false);
    expect(auth.allows(request({ authorization: 'Basic s3cret' }))).toBe(false);
    const cookie = `a=1; ${OBSERVATORY_COOKIE}=${auth.issueSession()}; b=2`;
    expect(auth.allows(request({ cookie }))).toBe(true);
    expect(auth.allows(withSession('s3cret'))).toBe(false);
  });

  it('keeps a signature of the token in the cookie, never the token, and one per token', () => {
    expect(authWith('s3cret').issueSession(T0)).not.toContain('s3cret');
    expect(authWith('s3cret').issueSession(T0)).not.toBe(authWith('other').issueSession(T0));
    expect(authWith('s3cret').matches('s3cret')).toBe(true);
    expect(authWith().matches('')).toBe(false);
  });

  it('ends a session after observatory.session_ttl_seconds', () => {
    const auth = authWith('s3cret', 600);
    const session = auth.issueSession(T0);
    expect(auth.allows(withSession(session), T0)).toBe(true);
    expect(auth.allows(withSession(session), T0 + 599_000)).toBe(true);
    expect(auth.allows(withSession(session), T0 + 600_000)).toBe(false);
    // Issued (by a clock far ahead) in the future: refused too.
    expect(auth.allows(withSession(session), T0 - 3600_000)).toBe(false);
  });

  it('refuses every session issued for a previous token once the token changes', () => {
    const session = authWith('old-token').issueSession(T0);
    expect(authWith('old-token').allows(withSession(session), T0 + 1000)).toBe(true);
    expect(authWith('new-token').allows(withSession(session), T0 + 1000)).toBe(false);
  });

  it('refuses a session whose issue time was changed to extend it', () => {
    const auth = authWith('s3cret', 600);
    const [, signature] = auth.issueSession(T0).split('.');
    const later = Math.floor((T0 + 3600_000) / 1000);
    expect(auth.allows(withSession(`${later}.${signature}`), T0 + 3600_000)).toBe(false);
    expect(auth.allows(withSession(`${later}.`), T0 + 3600_000)).toBe(false);
    expect(auth.allows(withSession(`x.${signature}`), T0)).toBe(false);
  });
});
