/*
 * The reflect-metadata keys that `@nestjs/cqrs` decorators write. The package does not export
 * them (its own explorer reads them the same way); `cqrs-metadata-keys.unit.spec.ts` decorates
 * classes with the real decorators and reads them back, so an upgrade that renames one fails
 * the unit suite rather than a worker.
 */

/** `@CommandHandler(Command)`: the command class. */
export const CQRS_COMMAND_HANDLER = '__commandHandler__';
/** `@EventsHandler(...events)`: the event classes. */
export const CQRS_EVENTS_HANDLER = '__eventsHandler__';
/** `@Saga()`: the names of the saga properties of the class. */
export const CQRS_SAGA = '__saga__';
