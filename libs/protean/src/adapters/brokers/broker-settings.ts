import { BROKER_DEFAULTS, type BrokerConfig } from '../../core/config/config.schema.js';

/** A broker's configuration with every optional key resolved to its default. */
export interface BrokerSettings {
  readonly provider: BrokerConfig['provider'];
  readonly uri: string | undefined;
  readonly maxPayloadBytes: number;
  readonly maxStreamLength: number;
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
  readonly readTimeoutGraceMs: number;
  readonly tlsCaFile: string | undefined;
  readonly pubsubBufferSize: number;
}

/** Fills in the optional `brokers.*` keys from {@link BROKER_DEFAULTS}. */
export function resolveBrokerSettings(config: BrokerConfig): BrokerSettings {
  return {
    provider: config.provider,
    uri: config.uri,
    maxPayloadBytes: config.max_payload_bytes,
    maxStreamLength: config.max_stream_length,
    connectTimeoutMs: config.connect_timeout_ms ?? BROKER_DEFAULTS.connect_timeout_ms,
    commandTimeoutMs: config.command_timeout_ms ?? BROKER_DEFAULTS.command_timeout_ms,
    readTimeoutGraceMs: config.read_timeout_grace_ms ?? BROKER_DEFAULTS.read_timeout_grace_ms,
    tlsCaFile: config.tls_ca_file,
    pubsubBufferSize: config.pubsub_buffer_size ?? BROKER_DEFAULTS.pubsub_buffer_size,
  };
}
