import { Injectable } from '@nestjs/common';
import { type ICommand, ofType, Saga } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import { delay, map } from 'rxjs/operators';
import { DropAncientItemCommand } from '../commands/impl/drop-ancient-item.command.js';
import { HeroKilledDragonEvent } from '../events/impl/hero-killed-dragon.event.js';

@Injectable()
export class HeroesGameSagas {
  @Saga()
  dragonKilled = (events$: Observable<any>): Observable<ICommand> => {
    return events$.pipe(
      ofType(HeroKilledDragonEvent),
      delay(10),
      map((event) => new DropAncientItemCommand(event.heroId, `relic-of-${event.dragonId}`)),
    );
  };
}
