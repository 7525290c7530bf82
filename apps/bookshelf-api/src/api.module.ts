import {
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { BOOKSHELF_DOMAIN, BookshelfModule } from '#bookshelf';
import { ProteanHealthModule, ProteanModule, type ProteanConfig } from '#protean';
import { BooksController } from './books/books.controller.js';
import { HealthController } from './health/health.controller.js';
import { JsonOnlyMiddleware } from './http/json-only.middleware.js';
import { OrdersController } from './orders/orders.controller.js';

/** The HTTP producer: the bookshelf domain behind a REST API. */
@Module({})
export class ApiModule implements NestModule {
  /** `withEngine`: also run the server engine and the outbox processor in this process. */
  static register(config: ProteanConfig, withEngine = false): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ProteanModule.forRoot({ domain: BOOKSHELF_DOMAIN, config, runOutboxProcessor: withEngine }),
        BookshelfModule,
        ProteanHealthModule,
      ],
      controllers: [BooksController, OrdersController, HealthController],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonOnlyMiddleware).forRoutes({ path: '*splat', method: RequestMethod.ALL });
  }
}
