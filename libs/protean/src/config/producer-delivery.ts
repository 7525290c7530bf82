import type { ProteanConfig } from './config.schema.js';

/**
 * Why a producer-only process (an API with no server engine in it) would accept async work that
 * nothing ever processes, as one line naming the keys and the fix; `undefined` when it can
 * deliver. The `inline` broker reaches only handlers in its own process, so async commands or
 * events published to it from a process without an engine are lost to every worker — unless the
 * workers read a shared (`postgresql`) event store instead of the broker.
 */
export function producerOnlyDeliveryProblem(config: ProteanConfig): string | undefined {
  const broker = config.outbox.broker;
  if (config.brokers[broker]?.provider !== 'inline') return undefined;
  const asyncKeys = (['command_processing', 'event_processing'] as const).filter(
    (key) => config[key] === 'async',
  );
  if (asyncKeys.length === 0) return undefined;
  const sharedEventStore =
    config.server.default_subscription_type === 'event_store' &&
    config.event_store.provider === 'postgresql';
  if (sharedEventStore) return undefined;
  const processing = asyncKeys.map((key) => `${key} = "async"`).join(', ');
  return (
    `Invalid configuration: brokers.${broker}.provider = "inline" with ${processing}: ` +
    'this process has no server engine and the inline broker cannot reach one elsewhere, so ' +
    'commands would be accepted and never processed; run everything in one process ' +
    '(`npm start`), or set brokers.' +
    `${broker}.provider = "redis" (with its uri) and run a worker (\`npm run start:worker\`)`
  );
}
