import { Aggregate, AggregateRoot, DomainRuleError } from 'nestjs-protean';
import type { PricedOrderLine } from './order-line.js';
import { OrderConfirmed } from './order-confirmed.event.js';
import { OrderPlaced } from './order-placed.event.js';
import { OrderRejected } from './order-rejected.event.js';

export type OrderStatus = 'PLACED' | 'CONFIRMED' | 'REJECTED';

/** A customer's order: placed, then confirmed when stock is reserved, or rejected. */
@Aggregate({ category: 'order' })
export class Order extends AggregateRoot {
  customerName!: string;
  items!: PricedOrderLine[];
  status!: OrderStatus;
  total!: number;
  rejectionReason!: string | null;

  /** Places an order; lines for the same book are merged. */
  static place(props: {
    id: string;
    customerName: string;
    items: readonly PricedOrderLine[];
  }): Order {
    const items = mergeLines(props.items);
    if (items.length === 0) throw new DomainRuleError('An order needs at least one item');
    if (items.some((line) => !Number.isInteger(line.quantity) || line.quantity < 1)) {
      throw new DomainRuleError('Each item needs a quantity of 1 or more');
    }
    const order = new Order();
    const total =
      items.reduce((cents, line) => cents + Math.round(line.unitPrice * 100) * line.quantity, 0) /
      100;
    Object.assign(order, { id: props.id, customerName: props.customerName, items, total });
    Object.assign(order, { status: 'PLACED', rejectionReason: null });
    order.raise(
      new OrderPlaced({ orderId: order.id, customerName: order.customerName, items, total }),
    );
    return order;
  }

  confirm(): void {
    this.requirePlaced();
    this.status = 'CONFIRMED';
    this.raise(new OrderConfirmed({ orderId: this.id }));
  }

  reject(reason: string): void {
    this.requirePlaced();
    this.status = 'REJECTED';
    this.rejectionReason = reason;
    this.raise(new OrderRejected({ orderId: this.id, reason }));
  }

  private requirePlaced(): void {
    if (this.status !== 'PLACED')
      throw new DomainRuleError(`Order ${this.id} is already ${this.status}`);
  }
}

function mergeLines(lines: readonly PricedOrderLine[]): PricedOrderLine[] {
  const merged = new Map<string, PricedOrderLine>();
  for (const line of lines) {
    const existing = merged.get(line.bookId);
    merged.set(
      line.bookId,
      existing ? { ...existing, quantity: existing.quantity + line.quantity } : { ...line },
    );
  }
  return [...merged.values()];
}
