import { InjectProjectionRepository, On, ProjectionRepository, Projector } from '#protean';
import { OrderConfirmed } from '../orders/order-confirmed.event.js';
import { OrderPlaced } from '../orders/order-placed.event.js';
import { OrderRejected } from '../orders/order-rejected.event.js';
import { OrderSummary } from './order-summary.projection.js';

/** Keeps order summaries. Idempotent: replaying an event is harmless. */
@Projector()
export class OrderSummaryProjector {
  constructor(
    @InjectProjectionRepository(OrderSummary)
    private readonly summaries: ProjectionRepository<OrderSummary>,
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
    const summary = await this.summaries.get(event.orderId);
    await this.summaries.save({ ...summary, status: 'CONFIRMED' });
  }

  @On(OrderRejected)
  async onOrderRejected(event: OrderRejected): Promise<void> {
    const summary = await this.summaries.get(event.orderId);
    await this.summaries.save({ ...summary, status: 'REJECTED' });
  }
}
