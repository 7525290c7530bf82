/** The bookshelf domain: the shared library of the API and the worker. */
export * from './bookshelf.module.js';
export * from './bookshelf.queries.js';
export * from './books/book.aggregate.js';
export * from './books/add-book.command.js';
export * from './books/book-added.event.js';
export * from './books/stock-reserved.event.js';
export * from './orders/order.aggregate.js';
export * from './orders/order-line.js';
export * from './orders/order-item.js';
export * from './orders/place-order.command.js';
export * from './orders/order-placed.event.js';
export * from './orders/order-confirmed.event.js';
export * from './orders/order-rejected.event.js';
export * from './catalog/catalog-entry.projection.js';
export * from './catalog/order-summary.projection.js';
export * from './external/external-order.payload.js';
export * from './external/external-orders.subscriber.js';
