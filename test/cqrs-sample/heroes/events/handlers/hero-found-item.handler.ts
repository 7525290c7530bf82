import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { HeroRepository } from '../../repository/hero.repository.js';
import { HeroFoundItemEvent } from '../impl/hero-found-item.event.js';

@EventsHandler(HeroFoundItemEvent)
export class HeroFoundItemHandler implements IEventHandler<HeroFoundItemEvent> {
  constructor(private readonly repository: HeroRepository) {}

  async handle(event: HeroFoundItemEvent) {
    await this.repository.chronicle(event.heroId, `found ${event.itemId}`);
  }
}
