import { Aggregate, AggregateRoot, DomainRuleError } from 'nestjs-protean';
import { BookAdded } from './book-added.event.js';
import { StockReserved } from './stock-reserved.event.js';

export interface NewBook {
  readonly id: string;
  readonly title: string;
  readonly author: string;
  readonly isbn?: string | null;
  readonly price: number;
  readonly stock?: number;
}

/** A book on the shelf: its catalog data and the copies in stock. */
@Aggregate({ category: 'book' })
export class Book extends AggregateRoot {
  title!: string;
  author!: string;
  isbn!: string | null;
  price!: number;
  stock!: number;

  /** Adds a book to the catalog. */
  static add(props: NewBook): Book {
    const stock = props.stock ?? 0;
    if (!(props.price >= 0)) throw new DomainRuleError('A book price cannot be negative');
    if (!Number.isInteger(stock) || stock < 0) {
      throw new DomainRuleError('Stock must be a whole number of copies, 0 or more');
    }
    const book = new Book();
    Object.assign(book, {
      id: props.id,
      title: props.title,
      author: props.author,
      isbn: props.isbn ?? null,
    });
    Object.assign(book, { price: props.price, stock });
    book.raise(new BookAdded({ bookId: book.id, ...book.details() }));
    return book;
  }

  /** Whether `quantity` copies are in stock. */
  hasInStock(quantity: number): boolean {
    return this.stock >= quantity;
  }

  /** Sets `quantity` copies aside for an order. */
  reserve(quantity: number, orderId: string): void {
    if (!this.hasInStock(quantity)) {
      throw new DomainRuleError(
        `Only ${this.stock} of book ${this.id} in stock, ${quantity} asked`,
      );
    }
    this.stock -= quantity;
    this.raise(
      new StockReserved({ bookId: this.id, orderId, quantity, remainingStock: this.stock }),
    );
  }

  private details() {
    const { title, author, isbn, price, stock } = this;
    return { title, author, isbn, price, stock };
  }
}
