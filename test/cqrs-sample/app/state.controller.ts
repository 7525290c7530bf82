import { Controller, Get } from '@nestjs/common';
import { MemoryHeroRepository } from './memory-hero.repository.js';

/** What the in-memory repository holds, for the test to read. */
@Controller('state')
export class StateController {
  constructor(private readonly heroes: MemoryHeroRepository) {}

  @Get()
  state() {
    return { heroes: Object.fromEntries(this.heroes.heroes), chronicle: this.heroes.entries };
  }
}
