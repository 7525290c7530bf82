import { createRequire } from 'node:module';
import { MissingPeerDependencyError } from './missing-peer-dependency.error.js';

const requireFromHere = createRequire(import.meta.url);

/** The optional peers Protean loads on demand, and the feature each serves. */
export const OPTIONAL_PEERS = {
  ioredis: 'A redis or redis_pubsub broker',
  pg: 'A postgresql database, event store or outbox',
  typeorm: 'A postgresql database, event store or outbox',
} as const;

export type OptionalPeer = keyof typeof OPTIONAL_PEERS;

/**
 * Loads an optional peer dependency the first time a provider needs it — so an application
 * that uses neither Redis nor PostgreSQL installs neither — or throws a
 * {@link MissingPeerDependencyError} naming the package to install. The peers are CommonJS
 * packages (TypeORM's ESM entry re-exports its CommonJS build), so the application's own
 * `import` of them shares this instance; loading synchronously keeps adapter constructors
 * synchronous.
 */
export function requireOptionalPeer<T>(
  name: OptionalPeer,
  load: (id: string) => unknown = requireFromHere,
): T {
  try {
    return load(name) as T;
  } catch (error) {
    if (isMissing(error, name))
      throw new MissingPeerDependencyError(name, OPTIONAL_PEERS[name], { cause: error });
    throw error;
  }
}

function isMissing(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes(`'${name}'`)
  );
}
