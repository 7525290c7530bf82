import type { Hero } from '../models/hero.model.js';

/** Where heroes live; the application module provides an implementation. */
export abstract class HeroRepository {
  abstract findOneById(id: string): Promise<Hero>;
  abstract save(hero: Hero): Promise<void>;
  /** Appends an entry to the hero's chronicle. */
  abstract chronicle(heroId: string, entry: string): Promise<void>;
}
