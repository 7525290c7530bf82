import { randomUUID } from 'node:crypto';
import {
  CommandBus,
  describeValidationErrors,
  InvalidMessageError,
  Subscriber,
  type ISubscriber,
} from 'nestjs-protean';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { PlaceOrder } from '../orders/place-order.command.js';
import { ExternalOrderPayload } from './external-order.payload.js';

export const EXTERNAL_ORDERS_STREAM = 'external-orders';

/**
 * Bridges orders from outside systems into the domain: each payload on `external-orders`
 * becomes a `PlaceOrder`. A payload that fails validation is refused with an
 * `InvalidMessageError`, which the server engine dead-letters to `external-orders:dlq`.
 */
@Subscriber({ stream: EXTERNAL_ORDERS_STREAM })
export class ExternalOrdersSubscriber implements ISubscriber {
  constructor(private readonly commands: CommandBus) {}

  async handle(payload: unknown): Promise<void> {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new InvalidMessageError('An external order must be a JSON object');
    }
    const order = plainToInstance(ExternalOrderPayload, payload);
    const errors = await validate(order, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      throw new InvalidMessageError('Invalid external order', describeValidationErrors(errors));
    }
    await this.commands.process(
      new PlaceOrder({ orderId: randomUUID(), customerName: order.customer, items: order.items }),
    );
  }
}
