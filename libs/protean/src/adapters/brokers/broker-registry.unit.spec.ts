import type { ProteanConfig } from '../../core/config/config.schema.js';
import { BrokerRegistry } from './broker-registry.js';
import type { Broker } from '../../ports/broker/broker.port.js';
import { createBroker } from './create-broker.js';
import { UnknownBrokerError } from '../../ports/broker/unknown-broker.error.js';

const inline = {
  provider: 'inline',
  max_payload_bytes: 1024 * 1024,
  max_stream_length: 0,
} as const;
const configs: ProteanConfig['brokers'] = { default: inline, audit: inline };

describe('BrokerRegistry', () => {
  it('creates each broker once, on first use, under its configured name', () => {
    const created: string[] = [];
    const registry = new BrokerRegistry(configs, (name, config) => {
      created.push(name);
      return createBroker(name, config);
    });
    expect(created).toEqual([]);
    const first = registry.get();
    expect(registry.get('default')).toBe(first);
    expect(first.name).toBe('default');
    expect(registry.get('audit').name).toBe('audit');
    expect(created).toEqual(['default', 'audit']);
  });

  it('names the configured brokers when asked for an unknown one', () => {
    const registry = new BrokerRegistry(configs);
    expect(() => registry.get('events')).toThrow(UnknownBrokerError);
    expect(() => registry.get('events')).toThrow(
      'No broker named "events" is configured (have: default, audit)',
    );
    expect(registry.has('audit')).toBe(true);
    expect(registry.has('toString')).toBe(false);
  });

  it('closes every created broker, even when one fails to close', async () => {
    const closed: string[] = [];
    const registry = new BrokerRegistry(configs, (name) => {
      return {
        name,
        close: async () => {
          closed.push(name);
          if (name === 'default') throw new Error('stuck');
        },
      } as unknown as Broker;
    });
    registry.get('default');
    registry.get('audit');
    await registry.onApplicationShutdown();
    expect(closed.sort()).toEqual(['audit', 'default']);
    expect(registry.get('audit')).not.toBeUndefined();
  });
});
