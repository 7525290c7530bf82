import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ProteanConfig } from '../../core/config/config.schema.js';
import type { Broker } from '../../ports/broker/broker.port.js';
import { createBroker } from './create-broker.js';
import { UnknownBrokerError } from '../../ports/broker/unknown-broker.error.js';

/**
 * The configured brokers by name, each created on first use and then shared. Built with
 * `new BrokerRegistry(config.brokers)` (a Nest factory provider), it closes every broker it
 * created at application shutdown, after consumers have drained in `onModuleDestroy`.
 */
export class BrokerRegistry implements OnApplicationShutdown {
  private readonly brokers = new Map<string, Broker>();
  private readonly logger = new Logger(BrokerRegistry.name);

  constructor(
    private readonly configs: ProteanConfig['brokers'],
    private readonly create: typeof createBroker = createBroker,
  ) {}

  /** The names under `[brokers.*]`. */
  names(): string[] {
    return Object.keys(this.configs);
  }

  /** Whether a broker of that name is configured. */
  has(name: string): boolean {
    return Object.hasOwn(this.configs, name);
  }

  /** The broker of that name, created on first call. */
  get(name = 'default'): Broker {
    let broker = this.brokers.get(name);
    if (!broker) {
      if (!this.has(name)) throw new UnknownBrokerError(name, this.names());
      broker = this.create(name, this.configs[name]);
      this.brokers.set(name, broker);
    }
    return broker;
  }

  /** Closes every broker created so far; one failing to close does not keep the others open. */
  async closeAll(): Promise<void> {
    const open = [...this.brokers.values()];
    this.brokers.clear();
    const results = await Promise.allSettled(open.map((broker) => broker.close()));
    results.forEach((result, index) => {
      if (result.status === 'rejected') {
        this.logger.warn(
          `Broker "${open[index].name}" did not close cleanly: ${String(result.reason)}`,
        );
      }
    });
  }

  /** Nest lifecycle hook: closes the brokers. */
  async onApplicationShutdown(): Promise<void> {
    await this.closeAll();
  }
}
