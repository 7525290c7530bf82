import { Module, type DynamicModule } from '@nestjs/common';
import { BOOKSHELF_DOMAIN, BookshelfModule } from '#bookshelf';
import { ProteanModule, type ProteanConfig } from 'nestjs-protean';

/** The worker: the bookshelf domain, whose handlers the server engine runs. */
@Module({})
export class WorkerModule {
  static register(config: ProteanConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ProteanModule.forRoot({ domain: BOOKSHELF_DOMAIN, config, runOutboxProcessor: true }),
        BookshelfModule,
      ],
    };
  }
}
