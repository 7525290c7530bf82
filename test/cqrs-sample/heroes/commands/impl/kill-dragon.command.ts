import { Command } from '@nestjs/cqrs';

export class KillDragonCommand extends Command<void> {
  constructor(
    public readonly heroId: string,
    public readonly dragonId: string,
  ) {
    super();
  }
}
