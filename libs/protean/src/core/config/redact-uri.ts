/*
 * Passwords must never reach a message or a log line. Every text the Redis adapters emit that
 * could contain the URI or a server reply goes through these two functions.
 */

import { isClusterUri, rawClusterPassword } from './redis-cluster-uri.js';

const MASK = '***';

/** The URI with its password replaced by `***`; the user name stays, it helps debugging. */
export function redactUri(uri: string | undefined): string {
  if (!uri) return '(no uri)';
  if (isClusterUri(uri)) return redactClusterUri(uri);
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
  if (isClusterUri(uri)) return passwordForms(rawClusterPassword(uri));
  try {
    return passwordForms(new URL(uri).password);
  } catch {
    return [];
  }
}

function passwordForms(password: string | undefined): string[] {
  if (!password) return [];
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // a malformed escape: the raw text is the only form there is
  }
  return [...new Set([password, decoded])];
}

/** `redis+cluster://user:***@h1:7000,h2:7001`: several hosts, which `URL` cannot parse. */
function redactClusterUri(uri: string): string {
  const password = rawClusterPassword(uri);
  return password === undefined ? uri : uri.replace(`:${password}@`, `:${MASK}@`);
}

/** `text` with every occurrence of each secret replaced by `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) if (secret) redacted = redacted.split(secret).join(MASK);
  return redacted;
}
