/** A probe that did not answer in time. */
export class ProbeTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
    this.name = 'ProbeTimeoutError';
  }
}

/** `work`, failed with {@link ProbeTimeoutError} if it takes longer than `ms`. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new ProbeTimeoutError(what, ms)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The message of a caught error, for a status line. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
