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
