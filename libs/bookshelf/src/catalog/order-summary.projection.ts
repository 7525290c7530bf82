import { Projection } from 'nestjs-protean';
import type { OrderLine } from '../orders/order-line.js';
import type { OrderStatus } from '../orders/order.aggregate.js';

/** An order as customers see it. */
@Projection({ name: 'order_summaries' })
export class OrderSummary {
  id!: string;
  customer!: string;
  items!: OrderLine[];
  status!: OrderStatus;
  total!: number;
}
