import { Module } from '@nestjs/common';
import { CommandHandlers } from './commands/handlers/index.js';
import { EventHandlers } from './events/handlers/index.js';
import { HeroesGameController } from './heroes.controller.js';
import { HeroesGameSagas } from './sagas/heroes.sagas.js';

@Module({
  controllers: [HeroesGameController],
  providers: [...CommandHandlers, ...EventHandlers, HeroesGameSagas],
})
export class HeroesGameModule {}
