/**
 * The message of anything thrown: an error's `message`, else the value as a string. Not
 * `instanceof Error`: errors from Node's core (sockets) belong to another realm under Jest's VM
 * modules, and would print as `Error: …` twice over.
 */
export const messageOf = (error: unknown): string => {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
};

/** `<name>: <message>` of an error (its class said, as dead-letter reasons keep it), else the value as a string. */
export const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** An error's stack (its message when it has none), else the value as a string: what a process prints as it dies of something unexpected. */
export const stackOf = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);
