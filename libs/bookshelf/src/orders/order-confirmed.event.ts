import { DomainEvent } from 'nestjs-protean';

/** Every copy of an order was reserved. */
@DomainEvent({ category: 'order' })
export class OrderConfirmed {
  readonly orderId!: string;

  constructor(props: OrderConfirmed) {
    Object.assign(this, props);
  }
}
