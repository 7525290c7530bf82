import { CommandHandler, EventPublisher, type ICommandHandler } from '@nestjs/cqrs';
import { HeroRepository } from '../../repository/hero.repository.js';
import { KillDragonCommand } from '../impl/kill-dragon.command.js';

@CommandHandler(KillDragonCommand)
export class KillDragonHandler implements ICommandHandler<KillDragonCommand> {
  constructor(
    private readonly repository: HeroRepository,
    private readonly publisher: EventPublisher,
  ) {}

  async execute(command: KillDragonCommand) {
    const { heroId, dragonId } = command;
    const hero = this.publisher.mergeObjectContext(await this.repository.findOneById(heroId));
    hero.killEnemy(dragonId);
    await this.repository.save(hero);
    hero.commit();
  }
}
