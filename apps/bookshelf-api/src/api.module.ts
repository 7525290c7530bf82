import {
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { BOOKSHELF_DOMAIN, BookshelfModule } from '#bookshelf';
import { ProteanModule, ProteanWorkerModule, type ProteanConfig } from 'nestjs-protean';
import {
  ObservatoryModule,
  ProteanObservabilityModule,
  type LogSettings,
} from 'nestjs-protean/observability';
import { BooksController } from './books/books.controller.js';
import { HealthController } from './health/health.controller.js';
import { JsonOnlyMiddleware } from './http/json-only.middleware.js';
import { StorableBodyMiddleware } from './http/storable-body.middleware.js';
import { OrdersController } from './orders/orders.controller.js';

export interface ApiModuleOptions {
  /** Also run the server engine and the outbox processor in this process. */
  readonly engine?: boolean;
  /** How to log (default: from LOG_LEVEL / LOG_FORMAT / NODE_ENV). */
  readonly logging?: LogSettings;
}

/** The HTTP producer: the bookshelf domain behind a REST API, with /health, /metrics and /observatory. */
@Module({})
export class ApiModule implements NestModule {
  static register(config: ProteanConfig, options: ApiModuleOptions = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ProteanModule.forRoot({ domain: BOOKSHELF_DOMAIN, config }),
        ...(options.engine ? [ProteanWorkerModule.embedded()] : []),
        BookshelfModule,
        ProteanObservabilityModule.forRoot({ logging: options.logging }),
        ObservatoryModule,
      ],
      controllers: [BooksController, OrdersController, HealthController],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(JsonOnlyMiddleware, StorableBodyMiddleware)
      .forRoutes({ path: '*splat', method: RequestMethod.ALL });
  }
}
