import type { AggregateRepository, ProjectionRepository } from 'nestjs-protean';
import { BookAdded } from '../books/book-added.event.js';
import type { Book } from '../books/book.aggregate.js';
import { StockReserved } from '../books/stock-reserved.event.js';
import { OrderConfirmed } from '../orders/order-confirmed.event.js';
import { OrderPlaced } from '../orders/order-placed.event.js';
import type { Order } from '../orders/order.aggregate.js';
import { CatalogProjector } from './catalog.projector.js';
import { OrderSummaryProjector } from './order-summary.projector.js';

/** A read model in a map, with the repository's find / save. */
function documents<T extends { id: string }>() {
  const stored = new Map<string, T>();
  const repository = {
    find: async (id: string) => stored.get(id),
    save: async (document: T) => void stored.set(document.id, structuredClone(document)),
  } as unknown as ProjectionRepository<T>;
  return { stored, repository };
}

function aggregates<T>(byId: Record<string, T>) {
  return { get: async (id: string) => byId[id] } as unknown as AggregateRepository<any>;
}

const book = { id: 'b1', title: 'Dune', author: 'F. Herbert', isbn: null, price: 10, stock: 7 };
const reserved = (remainingStock: number) =>
  new StockReserved({ bookId: 'b1', orderId: `o${remainingStock}`, quantity: 1, remainingStock });

describe('projectors delivered out of order (a take-over can deliver an older event late)', () => {
  it('catalog: the lowest stock wins, whatever order reservations and BookAdded arrive in', async () => {
    const catalog = documents<any>();
    const projector = new CatalogProjector(
      catalog.repository,
      aggregates<Partial<Book>>({ b1: { ...book } }) as AggregateRepository<Book>,
    );

    await projector.onStockReserved(reserved(8)); // before BookAdded: details from the book
    expect(catalog.stored.get('b1')).toEqual({ ...book, stock: 8 });
    await projector.onStockReserved(reserved(7));
    await projector.onStockReserved(reserved(9)); // older than the 7 already shown
    await projector.onBookAdded(new BookAdded({ bookId: 'b1', ...book, stock: 10 }));
    expect(catalog.stored.get('b1')).toEqual({ ...book, stock: 7 });
  });

  it('order summaries: a decision before OrderPlaced builds the summary; OrderPlaced keeps it', async () => {
    const summaries = documents<any>();
    const order = {
      id: 'o1',
      customerName: 'Ada',
      items: [{ bookId: 'b1', quantity: 2, unitPrice: 10 }],
      status: 'CONFIRMED',
      total: 20,
    };
    const projector = new OrderSummaryProjector(
      summaries.repository,
      aggregates<Partial<Order>>({ o1: order as Partial<Order> }) as AggregateRepository<Order>,
    );
    const expected = {
      id: 'o1',
      customer: 'Ada',
      items: [{ bookId: 'b1', quantity: 2 }],
      status: 'CONFIRMED',
      total: 20,
    };

    await projector.onOrderConfirmed(new OrderConfirmed({ orderId: 'o1' }));
    expect(summaries.stored.get('o1')).toEqual(expected);
    await projector.onOrderPlaced(
      new OrderPlaced({ orderId: 'o1', customerName: 'Ada', items: order.items, total: 20 }),
    );
    expect(summaries.stored.get('o1')).toEqual(expected);
  });
});
