import { AggregateRoot } from '@nestjs/cqrs';
import { HeroFoundItemEvent } from '../events/impl/hero-found-item.event.js';
import { HeroKilledDragonEvent } from '../events/impl/hero-killed-dragon.event.js';

export class Hero extends AggregateRoot {
  constructor(
    public readonly id: string,
    public readonly dragonsKilled: string[] = [],
    public readonly items: string[] = [],
  ) {
    super();
  }

  killEnemy(enemyId: string) {
    this.apply(new HeroKilledDragonEvent(this.id, enemyId));
  }

  addItem(itemId: string) {
    this.apply(new HeroFoundItemEvent(this.id, itemId));
  }

  onHeroKilledDragonEvent(event: HeroKilledDragonEvent) {
    this.dragonsKilled.push(event.dragonId);
  }

  onHeroFoundItemEvent(event: HeroFoundItemEvent) {
    this.items.push(event.itemId);
  }
}
