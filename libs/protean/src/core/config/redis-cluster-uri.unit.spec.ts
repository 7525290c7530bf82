import { configurationErrorOf } from '../../../../../test/support/configuration-error-of.js';
import { loadConfiguration } from './load-configuration.js';
import { redactSecrets, redactUri, secretsOf } from './redact-uri.js';
import { isClusterUri, parseClusterUri, parseRedisNode } from './redis-cluster-uri.js';

const broker = (keys: Record<string, string>) =>
  loadConfiguration({
    env: Object.fromEntries(
      Object.entries({ PROVIDER: 'redis', ...keys }).map(([key, value]) => [
        `PROTEAN_BROKERS__DEFAULT__${key}`,
        value,
      ]),
    ),
  }).brokers.default;
const refusal = (keys: Record<string, string>) => configurationErrorOf(() => broker(keys)).message;

describe('Redis Cluster configuration', () => {
  it('reads the nodes, credentials and TLS of a cluster URI', () => {
    expect(isClusterUri('redis+cluster://h1:7000')).toBe(true);
    expect(isClusterUri('redis://h1:7000')).toBe(false);
    expect(
      parseClusterUri('rediss+cluster://app:p%40ss@h1:7000,10.0.0.2:7001,[::1]:7002/0'),
    ).toEqual({
      tls: true,
      username: 'app',
      password: 'p@ss',
      nodes: [
        { host: 'h1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ],
    });
    expect(parseRedisNode(' h:6379 ')).toEqual({ host: 'h', port: 6379 });
  });

  it.each([
    ['redis+cluster://', 'expected at least one node'],
    ['redis+cluster://h1:7000,h2', '"h2" is not a node: expected host:port'],
    ['redis+cluster://h1:99999', '"h1:99999" is not a node'],
    ['redis+cluster://h1:7000/3', 'a cluster has only database 0'],
  ])('refuses %s, saying why', (uri, reason) => {
    // The URI itself is never shown: it may hold a password.
    expect(refusal({ URI: uri })).toContain(`brokers.default.uri: ${reason}`);
  });

  it('accepts a cluster by uri or by nodes, from a list or a comma-separated variable', () => {
    expect(broker({ URI: 'redis+cluster://h1:7000,h2:7001' }).uri).toBe(
      'redis+cluster://h1:7000,h2:7001',
    );
    expect(broker({ NODES: 'h1:7000, h2:7001' }).nodes).toEqual(['h1:7000', 'h2:7001']);
  });

  it.each([
    [{ NODES: 'h1:7000,h2' }, 'brokers.default.nodes.1: "h2" is not a node: expected host:port'],
    [
      { NODES: 'h1:7000', URI: 'redis://h:6379' },
      'brokers.default.nodes = "h1:7000": give either uri or nodes, not both',
    ],
    [
      { PROVIDER: 'redis_pubsub', URI: 'redis+cluster://h1:7000' },
      'brokers.default.uri: Redis Cluster is supported by provider "redis" only',
    ],
    [
      { MIN_REPLICAS: '1', WAIT_TIMEOUT_MS: '5000', URI: 'redis://h:6379' },
      'brokers.default.wait_timeout_ms = "5000": must be less than command_timeout_ms (5000)',
    ],
    [{ MIN_REPLICAS: '-1', URI: 'redis://h:6379' }, 'brokers.default.min_replicas'],
  ])('refuses %j naming the key', (keys, message) => {
    expect(refusal(keys)).toContain(message);
  });

  it('never shows the password of a cluster URI', () => {
    const uri = 'redis+cluster://app:p%40ss@h1:7000,h2:7001';
    expect(redactUri(uri)).toBe('redis+cluster://app:***@h1:7000,h2:7001');
    expect(redactUri('redis+cluster://h1:7000')).toBe('redis+cluster://h1:7000');
    expect(redactSecrets('AUTH app p@ss (p%40ss)', secretsOf(uri))).toBe('AUTH app *** (***)');
  });
});
