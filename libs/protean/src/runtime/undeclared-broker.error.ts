import { ProteanError } from '../core/errors/protean.error.js';

/**
 * `@InjectBroker(name)` asks for a configured broker that `ProteanModule` was not told of: the
 * configuration reached it only at runtime (`forRootAsync`, or `forRoot` without `config`).
 */
export class UndeclaredBrokerError extends ProteanError {
  constructor(brokerName: string, className: string) {
    super(
      `${className} injects broker "${brokerName}" with @InjectBroker, but ProteanModule was ` +
        `given its configuration only at runtime; list it: ` +
        `ProteanModule.forRootAsync({ …, brokers: ['${brokerName}'] })`,
    );
  }
}
