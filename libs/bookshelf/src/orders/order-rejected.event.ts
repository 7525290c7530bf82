import { DomainEvent } from 'nestjs-protean';

/** An order could not be fulfilled; nothing was reserved. */
@DomainEvent({ category: 'order' })
export class OrderRejected {
  readonly orderId!: string;
  readonly reason!: string;

  constructor(props: OrderRejected) {
    Object.assign(this, props);
  }
}
