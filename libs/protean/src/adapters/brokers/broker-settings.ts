import { BROKER_DEFAULTS, type BrokerConfig } from '../../core/config/config.schema.js';
import {
  isClusterUri,
  parseClusterUri,
  parseRedisNode,
  type RedisNode,
} from '../../core/config/redis-cluster-uri.js';

/** A broker's configuration with every optional key resolved to its default. */
export interface BrokerSettings {
  readonly provider: BrokerConfig['provider'];
  readonly uri: string | undefined;
  /** The seed nodes of a Redis Cluster (from `nodes` or a `redis+cluster://` URI); else none. */
  readonly clusterNodes: readonly RedisNode[] | undefined;
  readonly maxPayloadBytes: number;
  readonly maxStreamLength: number;
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
  readonly readTimeoutGraceMs: number;
  readonly tlsCaFile: string | undefined;
  readonly pubsubBufferSize: number;
  readonly minReplicas: number;
  readonly waitTimeoutMs: number;
}

/** Fills in the optional `brokers.*` keys from {@link BROKER_DEFAULTS}. */
export function resolveBrokerSettings(config: BrokerConfig): BrokerSettings {
  return {
    provider: config.provider,
    uri: config.uri,
    clusterNodes: clusterNodesOf(config),
    maxPayloadBytes: config.max_payload_bytes,
    maxStreamLength: config.max_stream_length,
    connectTimeoutMs: config.connect_timeout_ms ?? BROKER_DEFAULTS.connect_timeout_ms,
    commandTimeoutMs: config.command_timeout_ms ?? BROKER_DEFAULTS.command_timeout_ms,
    readTimeoutGraceMs: config.read_timeout_grace_ms ?? BROKER_DEFAULTS.read_timeout_grace_ms,
    tlsCaFile: config.tls_ca_file,
    pubsubBufferSize: config.pubsub_buffer_size ?? BROKER_DEFAULTS.pubsub_buffer_size,
    minReplicas: config.min_replicas ?? BROKER_DEFAULTS.min_replicas,
    waitTimeoutMs: config.wait_timeout_ms ?? BROKER_DEFAULTS.wait_timeout_ms,
  };
}

function clusterNodesOf(config: BrokerConfig): readonly RedisNode[] | undefined {
  if (config.nodes) return config.nodes.map(parseRedisNode);
  return isClusterUri(config.uri) ? parseClusterUri(config.uri!).nodes : undefined;
}
