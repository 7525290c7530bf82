import { Module, type DynamicModule } from '@nestjs/common';
import { BOOKSHELF_DOMAIN, BookshelfModule } from '#bookshelf';
import { ProteanModule, ProteanWorkerModule, type ProteanConfig } from 'nestjs-protean';

/** The worker: the bookshelf domain, whose handlers the server engine runs, and the outbox relay. */
@Module({})
export class WorkerModule {
  static register(config: ProteanConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ProteanModule.forRoot({ domain: BOOKSHELF_DOMAIN, config }),
        ProteanWorkerModule,
        BookshelfModule,
      ],
    };
  }
}
