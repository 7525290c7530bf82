import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { ProteanConfig } from '../core/config/config.schema.js';
import { workerDeliveryProblem } from '../core/config/delivery-problems.js';
import { PROTEAN_CONFIG } from '../core/protean.tokens.js';
import { WorkerOutboxRelay } from './outbox-relay/worker-outbox-relay.js';
import { DELIVERY_CHECK, type DeliveryCheck } from './server/delivery-check.js';

/**
 * What only a worker runs, imported beside `ProteanModule.forRoot()` (`runWorker` does it): the
 * outbox relay ({@link WorkerOutboxRelay}: started at bootstrap when `enable_outbox` and
 * `server.run_outbox_processor` are on, drained at shutdown), and the start-up check that
 * refuses subscriptions a worker apart from the API could never receive anything on
 * (`workerDeliveryProblem`). Global, so the engine of `ProteanModule` finds the check.
 */
@Global()
@Module({
  providers: [
    WorkerOutboxRelay,
    {
      provide: DELIVERY_CHECK,
      useFactory:
        (config: ProteanConfig): DeliveryCheck =>
        (plan) =>
          workerDeliveryProblem(config, plan),
      inject: [PROTEAN_CONFIG],
    },
  ],
  exports: [DELIVERY_CHECK],
})
export class ProteanWorkerModule {
  /**
   * The worker inside the API's process (`npm start`): the outbox relay, and no delivery check —
   * the API publishes to this very process, so an `inline` broker or a `memory` event store
   * delivers.
   */
  static embedded(): DynamicModule {
    const nothingToCheck: DeliveryCheck = () => undefined;
    return {
      module: ProteanWorkerModule,
      providers: [{ provide: DELIVERY_CHECK, useValue: nothingToCheck }],
    };
  }
}
