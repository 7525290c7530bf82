import { Module } from '@nestjs/common';
import { ProteanModule } from 'nestjs-protean';
import { BookshelfQueries } from './bookshelf.queries.js';
import { AddBookHandler } from './books/add-book.handler.js';
import { Book } from './books/book.aggregate.js';
import { CatalogEntry } from './catalog/catalog-entry.projection.js';
import { CatalogProjector } from './catalog/catalog.projector.js';
import { OrderSummary } from './catalog/order-summary.projection.js';
import { OrderSummaryProjector } from './catalog/order-summary.projector.js';
import { ExternalOrdersSubscriber } from './external/external-orders.subscriber.js';
import { Order } from './orders/order.aggregate.js';
import { PlaceOrderHandler } from './orders/place-order.handler.js';
import { ReserveStockHandler } from './orders/reserve-stock.handler.js';

/** The stream prefix and message-type namespace of this domain. */
export const BOOKSHELF_DOMAIN = 'bookshelf';

/**
 * The bookshelf domain: books, orders, stock reservation, the catalog and order projections,
 * and the `external-orders` subscriber. Needs `ProteanModule.forRoot({ domain: BOOKSHELF_DOMAIN })`.
 */
@Module({
  imports: [
    ProteanModule.forFeature({
      aggregates: [Book, Order],
      projections: [CatalogEntry, OrderSummary],
    }),
  ],
  providers: [
    AddBookHandler,
    PlaceOrderHandler,
    ReserveStockHandler,
    CatalogProjector,
    OrderSummaryProjector,
    ExternalOrdersSubscriber,
    BookshelfQueries,
  ],
  exports: [BookshelfQueries],
})
export class BookshelfModule {}
