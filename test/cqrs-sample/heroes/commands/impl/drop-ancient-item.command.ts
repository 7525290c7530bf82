import { Command } from '@nestjs/cqrs';

export class DropAncientItemCommand extends Command<void> {
  constructor(
    public readonly heroId: string,
    public readonly itemId: string,
  ) {
    super();
  }
}
