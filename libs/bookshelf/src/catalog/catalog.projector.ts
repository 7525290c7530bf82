import {
  AggregateRepository,
  InjectAggregateRepository,
  InjectProjectionRepository,
  On,
  ProjectionRepository,
  Projector,
} from 'nestjs-protean';
import { BookAdded } from '../books/book-added.event.js';
import { Book } from '../books/book.aggregate.js';
import { StockReserved } from '../books/stock-reserved.event.js';
import { CatalogEntry } from './catalog-entry.projection.js';

/**
 * Keeps the catalog: books with their current stock. Idempotent, and tolerant of order: a
 * worker that takes over another's messages can deliver a book's older event after a newer
 * one. Stock only goes down, so the lowest stock seen wins; a reservation seen before its book
 * was added takes the book's details from the book itself.
 */
@Projector()
export class CatalogProjector {
  constructor(
    @InjectProjectionRepository(CatalogEntry)
    private readonly catalog: ProjectionRepository<CatalogEntry>,
    @InjectAggregateRepository(Book) private readonly books: AggregateRepository<Book>,
  ) {}

  @On(BookAdded)
  async onBookAdded(event: BookAdded): Promise<void> {
    const { bookId: id, title, author, isbn, price, stock } = event;
    const existing = await this.catalog.find(id);
    await this.catalog.save({
      id,
      title,
      author,
      isbn,
      price,
      stock: existing ? Math.min(existing.stock, stock) : stock,
    });
  }

  @On(StockReserved)
  async onStockReserved(event: StockReserved): Promise<void> {
    const entry = await this.catalog.find(event.bookId);
    if (entry && entry.stock <= event.remainingStock) return; // a newer reservation is shown
    const details = entry ?? (await this.fromBook(event.bookId));
    await this.catalog.save({ ...details, stock: event.remainingStock });
  }

  private async fromBook(bookId: string): Promise<CatalogEntry> {
    const { id, title, author, isbn, price, stock } = await this.books.get(bookId);
    return { id, title, author, isbn, price, stock };
  }
}
