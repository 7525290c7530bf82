import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { HeroRepository } from '../heroes/repository/hero.repository.js';

/** Provides the `HeroRepository` the heroes module injects: in memory or in PostgreSQL. */
@Module({})
export class HeroStorageModule {
  static with(repository: Type<HeroRepository>, providers: Provider[] = []): DynamicModule {
    return {
      module: HeroStorageModule,
      global: true,
      providers: [repository, { provide: HeroRepository, useExisting: repository }, ...providers],
      exports: [HeroRepository, repository],
    };
  }
}
