/*
 * Classifies what ioredis rejects with. Redis reply errors start with an upper-case code
 * (NOGROUP, WRONGPASS, BUSYGROUP, …); everything else is about the connection.
 */

import { messageOf } from '../../../core/errors/error-message.js';

export { messageOf };

/** The group (or its stream) does not exist, e.g. after Redis restarted without its data. */
export const isNoGroupError = (error: unknown): boolean => messageOf(error).includes('NOGROUP');

/** The group exists already: `XGROUP CREATE` lost a harmless race. */
export const isBusyGroupError = (error: unknown): boolean => messageOf(error).includes('BUSYGROUP');

/** The key does not exist (XINFO on a missing stream). */
export const isNoSuchKeyError = (error: unknown): boolean => /no such key/i.test(messageOf(error));

/** Wrong or missing credentials: retrying cannot help. */
export const isAuthenticationError = (error: unknown): boolean =>
  /WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(messageOf(error));

/**
 * The `SELECT` of the URI's database index was refused (`redis://…/99` on a server with fewer
 * databases, or a cluster, which has only database 0). ioredis only reports it and goes on in
 * database 0, which may hold another environment's keys.
 */
export const isDatabaseSelectError = (error: unknown): boolean =>
  /DB index is out of range|invalid DB index|SELECT is not allowed|'select' command/i.test(
    messageOf(error),
  );

/** The TLS handshake failed on the certificate: retrying cannot help either. */
export const isTlsError = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /CERT|TLS|SSL/.test(code);
};

/** Redis answered with an error reply (as opposed to the connection failing). */
export const isReplyError = (error: unknown): boolean =>
  (error as { name?: unknown } | null | undefined)?.name === 'ReplyError';

/**
 * A reply that says the data is out of reach for now, not that the command is wrong: a cluster
 * without a master for the slot, a slot moved (a redirect a pipeline could not follow) or
 * migrating, a former master now a replica, a replica still loading. It passes once the
 * cluster settles, like a connection failure.
 */
export const isUnavailableReply = (error: unknown): boolean =>
  /^(CLUSTERDOWN|TRYAGAIN|READONLY|LOADING|MASTERDOWN|NOREPLICAS|MOVED|ASK)\b/.test(
    messageOf(error),
  );

/** A cluster redirect (`MOVED`, `ASK`): the client's map of slots to nodes is out of date. */
export const isRedirectError = (error: unknown): boolean => /^(MOVED|ASK)\b/.test(messageOf(error));
