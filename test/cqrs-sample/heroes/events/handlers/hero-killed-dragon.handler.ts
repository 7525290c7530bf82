import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { HeroRepository } from '../../repository/hero.repository.js';
import { HeroKilledDragonEvent } from '../impl/hero-killed-dragon.event.js';

@EventsHandler(HeroKilledDragonEvent)
export class HeroKilledDragonHandler implements IEventHandler<HeroKilledDragonEvent> {
  constructor(private readonly repository: HeroRepository) {}

  async handle(event: HeroKilledDragonEvent) {
    await this.repository.chronicle(event.heroId, `killed ${event.dragonId}`);
  }
}
