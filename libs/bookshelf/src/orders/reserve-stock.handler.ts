import { Logger } from '@nestjs/common';
import {
  AggregateRepository,
  EventHandler,
  InjectAggregateRepository,
  type IEventHandler,
} from 'nestjs-protean';
import { Book } from '../books/book.aggregate.js';
import { OrderPlaced } from './order-placed.event.js';
import { Order } from './order.aggregate.js';

/**
 * Reserves the stock of a placed order, all lines or none: the order is confirmed when every
 * book has enough copies, rejected otherwise. Books and order change in one unit of work.
 */
@EventHandler(OrderPlaced)
export class ReserveStockHandler implements IEventHandler<OrderPlaced> {
  private readonly logger = new Logger(ReserveStockHandler.name);

  constructor(
    @InjectAggregateRepository(Order) private readonly orders: AggregateRepository<Order>,
    @InjectAggregateRepository(Book) private readonly books: AggregateRepository<Book>,
  ) {}

  async handle(event: OrderPlaced): Promise<void> {
    const order = await this.orders.get(event.orderId);
    if (order.status !== 'PLACED') return;
    const lines = [];
    for (const line of order.items) {
      const book = await this.books.find(line.bookId);
      if (!book) return this.reject(order, `Book ${line.bookId} does not exist`);
      if (!book.hasInStock(line.quantity)) {
        return this.reject(
          order,
          `Only ${book.stock} of book ${book.id} in stock, ${line.quantity} asked`,
        );
      }
      lines.push({ book, quantity: line.quantity });
    }
    for (const { book, quantity } of lines) book.reserve(quantity, order.id);
    order.confirm();
    this.logger.log(`Order ${order.id} confirmed: stock reserved on ${lines.length} book(s)`);
  }

  private reject(order: Order, reason: string): void {
    order.reject(reason);
    this.logger.log(`Order ${order.id} rejected: ${reason}`);
  }
}
