import {
  AggregateRepository,
  CommandHandler,
  InjectAggregateRepository,
  type ICommandHandler,
} from 'nestjs-protean';
import { Book } from '../books/book.aggregate.js';
import { Order } from './order.aggregate.js';
import { PlaceOrder } from './place-order.command.js';

/** Places an order at the books' current prices; placing the same order id again changes nothing. */
@CommandHandler(PlaceOrder)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrder, string> {
  constructor(
    @InjectAggregateRepository(Order) private readonly orders: AggregateRepository<Order>,
    @InjectAggregateRepository(Book) private readonly books: AggregateRepository<Book>,
  ) {}

  async execute(command: PlaceOrder): Promise<string> {
    if (await this.orders.find(command.orderId)) return command.orderId;
    const items = [];
    for (const { bookId, quantity } of command.items) {
      const book = await this.books.get(bookId);
      items.push({ bookId, quantity, unitPrice: book.price });
    }
    this.orders.add(
      Order.place({ id: command.orderId, customerName: command.customerName, items }),
    );
    return command.orderId;
  }
}
