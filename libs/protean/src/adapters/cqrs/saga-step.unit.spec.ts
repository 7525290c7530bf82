import { ofType } from '@nestjs/cqrs';
import { delay, filter, map, mergeMap, Observable } from 'rxjs';
import { sagaStep } from './saga-step.js';
import { SagaTimeoutError } from './saga-timeout.error.js';

class DragonKilled {
  constructor(readonly heroId: string) {}
}
class ItemFound {}
class DropItem {
  constructor(readonly heroId: string) {}
}

const dragonKilled = (events$: Observable<object>) =>
  events$.pipe(
    ofType(DragonKilled),
    map((event) => new DropItem(event.heroId)),
  );

describe('sagaStep', () => {
  it('gives the commands a saga emits for one event', async () => {
    expect(await sagaStep(dragonKilled, new DragonKilled('h1'))).toEqual([new DropItem('h1')]);
  });

  it('gives none for an event the saga does not watch', async () => {
    expect(await sagaStep(dragonKilled, new ItemFound())).toEqual([]);
  });

  it('waits for asynchronous operators, and keeps several commands in order', async () => {
    const slow = (events$: Observable<object>) =>
      events$.pipe(
        ofType(DragonKilled),
        delay(5),
        mergeMap(async (event) => [
          new DropItem(`${event.heroId}-a`),
          new DropItem(`${event.heroId}-b`),
        ]),
        mergeMap((commands) => commands),
      );
    expect(await sagaStep(slow, new DragonKilled('h2'))).toEqual([
      new DropItem('h2-a'),
      new DropItem('h2-b'),
    ]);
  });

  it('drops nullish values, as @nestjs/cqrs does', async () => {
    const maybe = (events$: Observable<object>) =>
      events$.pipe(
        filter(() => true),
        map(() => undefined),
      );
    expect(await sagaStep(maybe, new DragonKilled('h3'))).toEqual([]);
  });

  it('rejects with the error of a saga that throws', async () => {
    const failing = (events$: Observable<object>) =>
      events$.pipe(
        map(() => {
          throw new Error('no dragon');
        }),
      );
    await expect(sagaStep(failing, new DragonKilled('h4'))).rejects.toThrow('no dragon');
  });
});

describe('sagaStep, on a saga that does not complete', () => {
  it('fails with SagaTimeoutError naming the saga and the event, and unsubscribes it', async () => {
    let unsubscribed = false;
    const endless = (events$: Observable<object>) =>
      events$.pipe(
        mergeMap(
          () =>
            new Observable<object>(() => () => {
              unsubscribed = true;
            }),
        ),
      );
    Object.defineProperty(endless, 'name', { value: 'HeroSagas.endless' });
    const step = sagaStep(endless, new DragonKilled('h5'), 20);
    await expect(step).rejects.toThrow(SagaTimeoutError);
    await expect(step).rejects.toThrow(
      /HeroSagas.endless did not complete on DragonKilled within 20 ms/,
    );
    expect(unsubscribed).toBe(true);
  });
});
