import {
  AggregateRepository,
  CommandHandler,
  InjectAggregateRepository,
  type ICommandHandler,
} from 'nestjs-protean';
import { AddBook } from './add-book.command.js';
import { Book } from './book.aggregate.js';

/** Adds a book; adding the same book id again changes nothing. */
@CommandHandler(AddBook)
export class AddBookHandler implements ICommandHandler<AddBook, string> {
  constructor(@InjectAggregateRepository(Book) private readonly books: AggregateRepository<Book>) {}

  async execute(command: AddBook): Promise<string> {
    const { bookId, ...details } = command;
    if (await this.books.find(bookId)) return bookId;
    this.books.add(Book.add({ id: bookId, ...details }));
    return bookId;
  }
}
