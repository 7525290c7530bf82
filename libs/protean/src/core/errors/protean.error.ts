/*
 * Where error classes live: one exported class per `<name>.error.ts` file (`UnknownBrokerError`
 * in `unknown-broker.error.ts`), in the folder of the code that throws it — no `errors/`
 * subfolders, no `*.errors.ts` collections. An error thrown on several floors sits in the lowest
 * of them: this folder holds the base classes and the domain's own errors (`ConcurrencyError`,
 * `NotFoundError`, …) that user code, repositories and adapters all throw. The entry points
 * re-export the public ones.
 */

/**
 * The base of every error Protean raises on purpose. Each subclass sets `name` and carries a
 * stable, actionable message, so callers can match on the class and users can act on the text.
 */
export class ProteanError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
