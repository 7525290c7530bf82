import { Injectable } from '@nestjs/common';
import {
  AggregateRepository,
  InjectAggregateRepository,
  InjectProjectionRepository,
  ProjectionRepository,
} from 'nestjs-protean';
import { Book } from './books/book.aggregate.js';
import { CatalogEntry } from './catalog/catalog-entry.projection.js';
import { OrderSummary } from './catalog/order-summary.projection.js';

/** The read side of the bookshelf: answers come from the projections. */
@Injectable()
export class BookshelfQueries {
  constructor(
    @InjectProjectionRepository(CatalogEntry)
    private readonly catalog: ProjectionRepository<CatalogEntry>,
    @InjectProjectionRepository(OrderSummary)
    private readonly orders: ProjectionRepository<OrderSummary>,
    @InjectAggregateRepository(Book) private readonly books: AggregateRepository<Book>,
  ) {}

  listBooks(page: { limit?: number; offset?: number } = {}): Promise<CatalogEntry[]> {
    return this.catalog.list(page);
  }

  findBook(id: string): Promise<CatalogEntry | undefined> {
    return this.catalog.find(id);
  }

  findOrder(id: string): Promise<OrderSummary | undefined> {
    return this.orders.find(id);
  }

  /**
   * The ids among `bookIds` that name no book. Checks the books themselves, not the catalog,
   * so a book is known as soon as its `AddBook` committed.
   */
  async unknownBooks(bookIds: readonly string[]): Promise<string[]> {
    const unknown: string[] = [];
    for (const id of new Set(bookIds)) if (!(await this.books.find(id))) unknown.push(id);
    return unknown;
  }
}
