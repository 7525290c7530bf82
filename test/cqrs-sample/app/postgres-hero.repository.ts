import { Injectable } from '@nestjs/common';
import { TransactionalEntityManager } from 'nestjs-protean';
import { Hero } from '../heroes/models/hero.model.js';
import { HeroRepository } from '../heroes/repository/hero.repository.js';

/**
 * Heroes in PostgreSQL, written in the unit of work's transaction: a hero's row and the
 * outbox rows of the events it raised commit together. `findOneById` locks the row, so the
 * API and the worker changing one hero at once take turns.
 */
@Injectable()
export class PostgresHeroRepository extends HeroRepository {
  constructor(private readonly tx: TransactionalEntityManager) {
    super();
  }

  async findOneById(id: string): Promise<Hero> {
    await this.tx.manager.query('INSERT INTO heroes (id) VALUES ($1) ON CONFLICT DO NOTHING', [id]);
    const [row] = await this.tx.manager.query<Array<{ dragons_killed: string[]; items: string[] }>>(
      'SELECT dragons_killed, items FROM heroes WHERE id = $1 FOR UPDATE',
      [id],
    );
    return new Hero(id, row.dragons_killed, row.items);
  }

  async save(hero: Hero): Promise<void> {
    await this.tx.manager.query(
      'UPDATE heroes SET dragons_killed = $2::jsonb, items = $3::jsonb WHERE id = $1',
      [hero.id, JSON.stringify(hero.dragonsKilled), JSON.stringify(hero.items)],
    );
  }

  async chronicle(heroId: string, entry: string): Promise<void> {
    await this.tx.manager.query('INSERT INTO hero_chronicle (hero_id, entry) VALUES ($1, $2)', [
      heroId,
      entry,
    ]);
  }
}
