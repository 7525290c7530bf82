import { DomainEvent } from 'nestjs-protean';

/** Copies of a book were set aside for an order; `remainingStock` is the stock after it. */
@DomainEvent({ category: 'book' })
export class StockReserved {
  readonly bookId!: string;
  readonly orderId!: string;
  readonly quantity!: number;
  readonly remainingStock!: number;

  constructor(props: StockReserved) {
    Object.assign(this, props);
  }
}
