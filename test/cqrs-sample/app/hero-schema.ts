import { Injectable, type OnModuleInit } from '@nestjs/common';
import { TransactionalEntityManager, UnitOfWorkManager } from 'nestjs-protean';

/** Creates the sample's tables at start (the API and the worker may start at once: locked). */
@Injectable()
export class HeroSchema implements OnModuleInit {
  constructor(
    private readonly units: UnitOfWorkManager,
    private readonly tx: TransactionalEntityManager,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.units.run(async () => {
      const query = (sql: string) => this.tx.manager.query(sql);
      await query('SELECT pg_advisory_xact_lock(19019)');
      await query(
        `CREATE TABLE IF NOT EXISTS heroes (id text PRIMARY KEY,
           dragons_killed jsonb NOT NULL DEFAULT '[]', items jsonb NOT NULL DEFAULT '[]')`,
      );
      await query(
        `CREATE TABLE IF NOT EXISTS hero_chronicle (seq bigserial PRIMARY KEY,
           hero_id text NOT NULL, entry text NOT NULL)`,
      );
    });
  }
}
