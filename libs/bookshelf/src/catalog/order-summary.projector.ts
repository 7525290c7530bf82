import {
  AggregateRepository,
  InjectAggregateRepository,
  InjectProjectionRepository,
  On,
  ProjectionRepository,
  Projector,
} from 'nestjs-protean';
import { OrderConfirmed } from '../orders/order-confirmed.event.js';
import { OrderPlaced } from '../orders/order-placed.event.js';
import { OrderRejected } from '../orders/order-rejected.event.js';
import { Order, type OrderStatus } from '../orders/order.aggregate.js';
import { OrderSummary } from './order-summary.projection.js';

/**
 * Keeps order summaries. Idempotent, and tolerant of order: a worker that takes over another's
 * messages can deliver `OrderPlaced` after the decision. A decision without its summary builds
 * it from the order; a late `OrderPlaced` keeps the decided status.
 */
@Projector()
export class OrderSummaryProjector {
  constructor(
    @InjectProjectionRepository(OrderSummary)
    private readonly summaries: ProjectionRepository<OrderSummary>,
    @InjectAggregateRepository(Order) private readonly orders: AggregateRepository<Order>,
  ) {}

  @On(OrderPlaced)
  async onOrderPlaced(event: OrderPlaced): Promise<void> {
    const existing = await this.summaries.find(event.orderId);
    await this.summaries.save({
      id: event.orderId,
      customer: event.customerName,
      items: event.items.map(({ bookId, quantity }) => ({ bookId, quantity })),
      status: existing?.status ?? 'PLACED',
      total: event.total,
    });
  }

  @On(OrderConfirmed)
  async onOrderConfirmed(event: OrderConfirmed): Promise<void> {
    await this.decide(event.orderId, 'CONFIRMED');
  }

  @On(OrderRejected)
  async onOrderRejected(event: OrderRejected): Promise<void> {
    await this.decide(event.orderId, 'REJECTED');
  }

  private async decide(orderId: string, status: OrderStatus): Promise<void> {
    const summary = (await this.summaries.find(orderId)) ?? (await this.fromOrder(orderId));
    await this.summaries.save({ ...summary, status });
  }

  private async fromOrder(orderId: string): Promise<OrderSummary> {
    const order = await this.orders.get(orderId);
    return {
      id: order.id,
      customer: order.customerName,
      items: order.items.map(({ bookId, quantity }) => ({ bookId, quantity })),
      status: order.status,
      total: order.total,
    };
  }
}
