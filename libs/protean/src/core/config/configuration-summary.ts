import { redactUri } from './redact-uri.js';
import type { ProteanConfig } from './config.schema.js';
import { configurationSourceOf } from './load-configuration.js';

/**
 * The one start-up line naming what a process runs on — its database, event store and broker
 * (URIs redacted), the processing modes — and which source set each (default, settings, file,
 * env, overrides), so a setup that is not the intended one shows at a glance.
 */
export function configurationSummary(config: ProteanConfig): string {
  /** The sources of `provider` and, when set, `uri` at `prefix`: `file`, or `file+env`. */
  const from = (prefix: string, uriKey: string, uri: string | undefined) => {
    const keys = uri ? [`${prefix}.provider`, `${prefix}.${uriKey}`] : [`${prefix}.provider`];
    return [...new Set(keys.map((key) => configurationSourceOf(config, key)))].join('+');
  };
  const at = (uri: string | undefined) => (uri ? ` at ${redactUri(uri)}` : '');

  const database = config.databases.default;
  const store = config.event_store;
  const storeUri =
    store.provider === 'postgresql' && !store.database_uri
      ? ' (shares databases.default)'
      : at(store.database_uri);
  const brokerName = config.outbox.broker;
  const broker = config.brokers[brokerName];
  return (
    'Protean configuration: ' +
    [
      `database ${database.provider}${at(database.database_uri)}` +
        ` (${from('databases.default', 'database_uri', database.database_uri)})`,
      `event store ${store.provider}${storeUri}` +
        ` (${from('event_store', 'database_uri', store.database_uri)})`,
      `broker ${brokerName} ${broker.provider}${at(broker.uri ?? clusterOf(broker.nodes))}` +
        ` (${from(`brokers.${brokerName}`, 'uri', broker.uri)})`,
      `commands ${config.command_processing} (${configurationSourceOf(config, 'command_processing')})`,
      `events ${config.event_processing} (${configurationSourceOf(config, 'event_processing')})`,
    ].join(', ')
  );
}

/** Cluster nodes as the URI that would name them, for the summary line. */
function clusterOf(nodes: readonly string[] | undefined): string | undefined {
  return nodes ? `redis+cluster://${nodes.join(',')}` : undefined;
}
