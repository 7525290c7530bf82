let startedAt: Date | undefined;

/**
 * Whether this process has begun shutting down. `closeOnSignals` marks it the moment a signal
 * arrives — before Nest's shutdown hooks drain anything — so readiness turns down at once.
 */
export const ShutdownState = {
  /** Marks the start of shutdown (idempotent). */
  begin(): void {
    startedAt ??= new Date();
  },
  /** True once shutdown has begun. */
  get started(): boolean {
    return startedAt !== undefined;
  },
};
