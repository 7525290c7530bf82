import { randomUUID } from 'node:crypto';
import {
  AggregateRepository,
  CommandBus,
  describeValidationErrors,
  InjectAggregateRepository,
  InvalidMessageError,
  NotFoundError,
  Subscriber,
  type ISubscriber,
} from 'nestjs-protean';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Book } from '../books/book.aggregate.js';
import { PlaceOrder } from '../orders/place-order.command.js';
import { ExternalOrderPayload } from './external-order.payload.js';

export const EXTERNAL_ORDERS_STREAM = 'external-orders';

/**
 * Bridges orders from outside systems into the domain: each payload on `external-orders`
 * becomes a `PlaceOrder`. A payload that fails validation, or names a book that does not
 * exist, is refused with a permanent error (`InvalidMessageError`, `NotFoundError`), which the
 * server engine dead-letters to `external-orders:dlq` at once, with attempts 1.
 */
@Subscriber({ stream: EXTERNAL_ORDERS_STREAM })
export class ExternalOrdersSubscriber implements ISubscriber {
  constructor(
    private readonly commands: CommandBus,
    @InjectAggregateRepository(Book) private readonly books: AggregateRepository<Book>,
  ) {}

  async handle(payload: unknown): Promise<void> {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new InvalidMessageError('An external order must be a JSON object');
    }
    const order = plainToInstance(ExternalOrderPayload, payload);
    const errors = await validate(order, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      throw new InvalidMessageError('Invalid external order', describeValidationErrors(errors));
    }
    for (const { bookId } of order.items) {
      if (!(await this.books.find(bookId))) throw new NotFoundError('Book', bookId);
    }
    await this.commands.process(
      new PlaceOrder({ orderId: randomUUID(), customerName: order.customer, items: order.items }),
    );
  }
}
