import { Injectable } from '@nestjs/common';
import { Hero } from '../heroes/models/hero.model.js';
import { HeroRepository } from '../heroes/repository/hero.repository.js';

/** Heroes in memory, as the official sample keeps them. */
@Injectable()
export class MemoryHeroRepository extends HeroRepository {
  readonly heroes = new Map<string, { dragonsKilled: string[]; items: string[] }>();
  readonly entries: Array<{ heroId: string; entry: string }> = [];

  async findOneById(id: string): Promise<Hero> {
    const state = this.heroes.get(id) ?? { dragonsKilled: [], items: [] };
    return new Hero(id, [...state.dragonsKilled], [...state.items]);
  }

  async save(hero: Hero): Promise<void> {
    this.heroes.set(hero.id, { dragonsKilled: [...hero.dragonsKilled], items: [...hero.items] });
  }

  async chronicle(heroId: string, entry: string): Promise<void> {
    this.entries.push({ heroId, entry });
  }
}
