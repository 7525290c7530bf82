/** A dependency that did not answer in time. */
export class ProbeTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
    this.name = 'ProbeTimeoutError';
  }
}
