import { CommandHandler, EventPublisher, type ICommandHandler } from '@nestjs/cqrs';
import { HeroRepository } from '../../repository/hero.repository.js';
import { DropAncientItemCommand } from '../impl/drop-ancient-item.command.js';

@CommandHandler(DropAncientItemCommand)
export class DropAncientItemHandler implements ICommandHandler<DropAncientItemCommand> {
  constructor(
    private readonly repository: HeroRepository,
    private readonly publisher: EventPublisher,
  ) {}

  async execute(command: DropAncientItemCommand) {
    const { heroId, itemId } = command;
    const hero = this.publisher.mergeObjectContext(await this.repository.findOneById(heroId));
    hero.addItem(itemId);
    await this.repository.save(hero);
    hero.commit();
  }
}
