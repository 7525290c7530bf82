/**
 * `postgresql://user:secret@db:5432/bookshelf` → `db:5432/bookshelf`: what logs and errors may
 * show of a database URI, since the URI itself may hold a password.
 */
export function describePostgresTarget(uri: string): string {
  try {
    const url = new URL(uri);
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default)';
    return `${url.hostname || 'localhost'}:${url.port || '5432'}/${database}`;
  } catch {
    return '(unparseable URI)';
  }
}
