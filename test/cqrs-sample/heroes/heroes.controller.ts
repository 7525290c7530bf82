import { Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { KillDragonCommand } from './commands/impl/kill-dragon.command.js';

@Controller('hero')
export class HeroesGameController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/kill/:dragonId')
  async killDragon(@Param('id') id: string, @Param('dragonId') dragonId: string) {
    return this.commandBus.execute(new KillDragonCommand(id, dragonId));
  }
}
