import { DomainEvent } from 'nestjs-protean';
import type { PricedOrderLine } from './order-line.js';

/** A customer placed an order; stock is not reserved yet. */
@DomainEvent({ category: 'order' })
export class OrderPlaced {
  readonly orderId!: string;
  readonly customerName!: string;
  readonly items!: readonly PricedOrderLine[];
  readonly total!: number;

  constructor(props: OrderPlaced) {
    Object.assign(this, props);
  }
}
