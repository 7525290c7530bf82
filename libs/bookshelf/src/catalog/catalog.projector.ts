import { InjectProjectionRepository, On, ProjectionRepository, Projector } from '#protean';
import { BookAdded } from '../books/book-added.event.js';
import { StockReserved } from '../books/stock-reserved.event.js';
import { CatalogEntry } from './catalog-entry.projection.js';

/** Keeps the catalog: books with their current stock. Idempotent: replaying an event is harmless. */
@Projector()
export class CatalogProjector {
  constructor(
    @InjectProjectionRepository(CatalogEntry)
    private readonly catalog: ProjectionRepository<CatalogEntry>,
  ) {}

  @On(BookAdded)
  async onBookAdded(event: BookAdded): Promise<void> {
    const { bookId: id, title, author, isbn, price, stock } = event;
    await this.catalog.save({ id, title, author, isbn, price, stock });
  }

  @On(StockReserved)
  async onStockReserved(event: StockReserved): Promise<void> {
    const entry = await this.catalog.get(event.bookId);
    await this.catalog.save({ ...entry, stock: event.remainingStock });
  }
}
