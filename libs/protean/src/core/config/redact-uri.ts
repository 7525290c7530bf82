/*
 * Passwords must never reach a message or a log line. Every text the Redis adapters emit that
 * could contain the URI or a server reply goes through these two functions.
 */

const MASK = '***';

/** The URI with its password replaced by `***`; the user name stays, it helps debugging. */
export function redactUri(uri: string | undefined): string {
  if (!uri) return '(no uri)';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return '(unparseable uri)';
  }
  const credentials = url.password
    ? `${url.username}:${MASK}@`
    : url.username
      ? `${url.username}@`
      : '';
  const path = url.pathname && url.pathname !== '/' ? url.pathname : '';
  return `${url.protocol}//${credentials}${url.host}${path}`;
}

/** The password of a URI, raw and decoded, for {@link redactSecrets}; empty when none. */
export function secretsOf(uri: string | undefined): string[] {
  if (!uri) return [];
  try {
    const { password } = new URL(uri);
    return password ? [...new Set([password, decodeURIComponent(password)])] : [];
  } catch {
    return [];
  }
}

/** `text` with every occurrence of each secret replaced by `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) if (secret) redacted = redacted.split(secret).join(MASK);
  return redacted;
}
