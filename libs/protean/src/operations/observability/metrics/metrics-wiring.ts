import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HopObservers } from '../../../model/hop-observers.js';
import { SubscriptionObservers } from '../../../runtime/server/subscription-observers.js';
import { WorkerEndpoints } from '../../../runtime/server/worker-endpoints.js';
import { ProteanMetrics } from './protean-metrics.js';

/**
 * Connects the metrics at init, before the engine starts: they observe the engine's
 * subscriptions and the hops of units of work and the outbox relay, and a worker serves them
 * at `/metrics` on its probe port.
 */
@Injectable()
export class MetricsWiring implements OnModuleInit {
  constructor(
    private readonly metrics: ProteanMetrics,
    private readonly observers: SubscriptionObservers,
    private readonly hopObservers: HopObservers,
    private readonly endpoints: WorkerEndpoints,
  ) {}

  onModuleInit(): void {
    this.observers.add(this.metrics);
    this.hopObservers.add(this.metrics.hops);
    this.endpoints.add('/metrics', async () => ({
      status: 200,
      contentType: this.metrics.contentType,
      body: await this.metrics.metrics(),
    }));
  }
}
