/** Bookkeeping kept off the aggregate's own fields, so its fields are exactly its state. */
interface AggregateInternals {
  version: number;
  readonly events: object[];
}

const internals = new WeakMap<AggregateRoot, AggregateInternals>();

function internalsOf(aggregate: AggregateRoot): AggregateInternals {
  let found = internals.get(aggregate);
  if (!found) internals.set(aggregate, (found = { version: 0, events: [] }));
  return found;
}

/**
 * The base of every aggregate. Its own enumerable fields are its persisted state (plain JSON
 * values); `raise()` records events, which are published when the unit of work commits and
 * discarded when it rolls back.
 */
export abstract class AggregateRoot {
  /** The aggregate's identity. */
  id!: string;

  /** Records a domain event raised by this aggregate. */
  protected raise(event: object): void {
    internalsOf(this).events.push(event);
  }
}

/** The persisted version this instance was loaded at (0 for a new aggregate). */
export const versionOf = (aggregate: AggregateRoot): number => internalsOf(aggregate).version;

/** Sets the version after loading or saving. */
export const setVersionOf = (aggregate: AggregateRoot, version: number): void => {
  internalsOf(aggregate).version = version;
};

/** Takes the events raised since the last call, leaving none behind. */
export const pullEventsOf = (aggregate: AggregateRoot): object[] =>
  internalsOf(aggregate).events.splice(0);

/** Whether it raised events not yet taken with {@link pullEventsOf}. */
export const hasPendingEvents = (aggregate: AggregateRoot): boolean =>
  internalsOf(aggregate).events.length > 0;

/** The aggregate's state: its own enumerable fields, as plain JSON. */
export const stateOf = (aggregate: AggregateRoot): Record<string, unknown> =>
  JSON.parse(JSON.stringify(aggregate)) as Record<string, unknown>;

/** Rebuilds an aggregate from stored state without running its constructor. */
export function rehydrate<T extends AggregateRoot>(
  type: abstract new (...args: any[]) => T,
  state: Record<string, unknown>,
  version: number,
): T {
  const aggregate = Object.assign(Object.create(type.prototype as object) as T, state);
  setVersionOf(aggregate, version);
  return aggregate;
}
