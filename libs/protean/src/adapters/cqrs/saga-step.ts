import { lastValueFrom, of, toArray, filter, type Observable } from 'rxjs';

/** A `@Saga()` property: events in, commands out. */
export type SagaFunction = (events$: Observable<object>) => Observable<unknown>;

/**
 * Runs a saga on one event: its pipeline over a stream of that one event, to completion, and
 * the commands it emitted (nullish values dropped, as `@nestjs/cqrs` drops them). Asynchronous
 * operators (`delay`, `mergeMap` to a promise) are waited for; operators that combine several
 * events (`bufferCount`, `scan`, `pairwise`) see one event at a time.
 */
export function sagaStep(saga: SagaFunction, event: object): Promise<object[]> {
  return lastValueFrom(
    saga(of(event)).pipe(
      filter((command): command is object => command !== null && command !== undefined),
      toArray(),
    ),
  );
}
