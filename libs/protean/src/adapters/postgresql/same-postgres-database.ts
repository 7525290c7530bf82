/** Whether two URIs name the same database on the same server as the same user. */
export function samePostgresDatabase(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const key = (uri: string) => {
    const url = new URL(uri);
    return [
      url.hostname.toLowerCase() || 'localhost',
      url.port || '5432',
      decodeURIComponent(url.pathname.replace(/^\//, '')),
      decodeURIComponent(url.username),
    ].join('\u0000');
  };
  try {
    return key(a) === key(b);
  } catch {
    return false;
  }
}
