import { loadConfiguration } from '../../config/load-configuration.js';
import { OBSERVATORY_COOKIE, ObservatoryAuth } from './observatory-auth.js';

const authWith = (token?: string) =>
  new ObservatoryAuth(
    loadConfiguration({ embedded: true, overrides: token ? { observatory: { token } } : {} }),
  );
const request = (headers: Record<string, string>) => ({ headers });

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
    const cookie = `a=1; ${OBSERVATORY_COOKIE}=${auth.session()}; b=2`;
    expect(auth.allows(request({ cookie }))).toBe(true);
    expect(auth.allows(request({ cookie: `${OBSERVATORY_COOKIE}=s3cret` }))).toBe(false);
  });

  it('keeps a digest of the token in the cookie, never the token, and one per token', () => {
    expect(authWith('s3cret').session()).not.toContain('s3cret');
    expect(authWith('s3cret').session()).not.toBe(authWith('other').session());
    expect(authWith('s3cret').matches('s3cret')).toBe(true);
    expect(authWith().matches('')).toBe(false);
  });
});
