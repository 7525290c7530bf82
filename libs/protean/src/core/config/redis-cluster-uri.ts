/*
 * `redis+cluster://user:password@h1:7000,h2:7001` names the seed nodes of a Redis Cluster.
 * WHATWG URLs cannot hold several hosts, so these are read here, by hand, for the
 * configuration schema, the redaction of secrets and the adapter alike.
 */

/** One node of a Redis Cluster: `host:port` (`[::1]:7000` for IPv6). */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/** What a cluster URI says. */
export interface ClusterUri {
  /** `rediss+cluster://`: every node speaks TLS. */
  readonly tls: boolean;
  readonly username?: string;
  readonly password?: string;
  readonly nodes: readonly RedisNode[];
}

const CLUSTER_URI = /^(rediss?)\+cluster:\/\/([^/?#]*)(\/[^?#]*)?$/i;

/** Whether `uri` names a cluster (`redis+cluster://…` or `rediss+cluster://…`). */
export const isClusterUri = (uri: string | undefined): boolean =>
  !!uri && /^rediss?\+cluster:/i.test(uri);

/** The node `text` names; throws an Error saying what is wrong with it. */
export function parseRedisNode(text: string): RedisNode {
  const match = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) {
    throw new Error(`"${text}" is not a node: expected host:port (e.g. 10.0.0.1:7000)`);
  }
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

/** The parts of a cluster URI; throws an Error saying what is wrong with it. */
export function parseClusterUri(uri: string): ClusterUri {
  const match = CLUSTER_URI.exec(uri);
  if (!match) throw new Error('expected redis+cluster://host:port,host:port');
  const [, scheme, authority, path = ''] = match;
  if (path !== '' && path !== '/' && path !== '/0') {
    throw new Error('a cluster has only database 0: remove the path');
  }
  const at = authority.lastIndexOf('@');
  const credentials = at >= 0 ? authority.slice(0, at) : '';
  const hosts = at >= 0 ? authority.slice(at + 1) : authority;
  if (hosts.trim() === '') throw new Error('expected at least one node (host:port)');
  const colon = credentials.indexOf(':');
  const username = colon >= 0 ? credentials.slice(0, colon) : credentials;
  const password = colon >= 0 ? credentials.slice(colon + 1) : '';
  return {
    tls: scheme.toLowerCase() === 'rediss',
    username: username ? decodeURIComponent(username) : undefined,
    password: password ? decodeURIComponent(password) : undefined,
    nodes: hosts.split(',').map(parseRedisNode),
  };
}

/** The password of a cluster URI as written (maybe URL-encoded), or undefined. */
export function rawClusterPassword(uri: string): string | undefined {
  const authority = CLUSTER_URI.exec(uri)?.[2] ?? '';
  const at = authority.lastIndexOf('@');
  const colon = authority.indexOf(':');
  return at >= 0 && colon >= 0 && colon < at ? authority.slice(colon + 1, at) : undefined;
}
