import { loadConfiguration } from '../config/load-configuration.js';
import { BrokerUnavailableError } from './broker-unavailable.error.js';
import { UnavailableBrokerRegistry } from './unavailable-broker-registry.js';

describe('UnavailableBrokerRegistry (placeholder until the broker adapters are wired)', () => {
  const registry = new UnavailableBrokerRegistry(loadConfiguration({ embedded: true }).brokers);

  it('refuses a configured broker, saying that no adapter is registered', () => {
    expect(() => registry.get('default')).toThrow(BrokerUnavailableError);
    expect(() => registry.get('default')).toThrow(
      'Broker "default" is unavailable: no adapter for provider "inline" is registered',
    );
  });

  it('refuses an unknown name, listing the configured ones', () => {
    expect(() => registry.get('audit')).toThrow('no [brokers.audit] is configured (have: default)');
  });
});
