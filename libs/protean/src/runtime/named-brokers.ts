import { Inject, Injectable, type OnModuleInit, type Provider } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { BrokerRegistry } from '../adapters/brokers/broker-registry.js';
import {
  getBrokerToken,
  injectedBrokerNames,
} from '../adapters/brokers/inject-broker.decorator.js';
import type { ProteanConfig } from '../core/config/config.schema.js';
import { BROKER_REGISTRY, PROTEAN_CONFIG } from '../core/protean.tokens.js';
import { UnknownBrokerError } from '../ports/broker/unknown-broker.error.js';
import { UndeclaredBrokerError } from './undeclared-broker.error.js';

/** The broker names `ProteanModule` provides a token for (`@InjectBroker(name)`). */
export const PROVIDED_BROKER_NAMES = Symbol('PROTEAN_PROVIDED_BROKER_NAMES');

/** A provider per broker name (its token, `getBrokerToken(name)`), and the list of them. */
export function namedBrokerProviders(names: readonly string[]): Provider[] {
  const unique = [...new Set(['default', ...names])];
  return [
    { provide: PROVIDED_BROKER_NAMES, useValue: unique },
    ...unique.map((name) => ({
      provide: getBrokerToken(name),
      useFactory: (brokers: BrokerRegistry) => brokers.get(name),
      inject: [BROKER_REGISTRY],
    })),
  ];
}

/**
 * Refuses to start when a provider or controller injects a broker `ProteanModule` has no token
 * for: an unconfigured name ({@link UnknownBrokerError}, naming the configured ones), or a
 * configured one the module was not told of because the configuration came later
 * (`forRootAsync`: list it in `brokers`).
 */
@Injectable()
export class NamedBrokersCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(PROVIDED_BROKER_NAMES) private readonly provided: readonly string[],
    @Inject(PROTEAN_CONFIG) private readonly config: ProteanConfig,
  ) {}

  onModuleInit(): void {
    const classes = [...this.discovery.getProviders(), ...this.discovery.getControllers()]
      .map((wrapper) => wrapper.metatype)
      .filter((type): type is NonNullable<typeof type> => typeof type === 'function');
    for (const type of new Set(classes)) {
      for (const name of injectedBrokerNames(type)) {
        if (this.provided.includes(name)) continue;
        const configured = Object.keys(this.config.brokers);
        if (!configured.includes(name)) throw new UnknownBrokerError(name, configured);
        throw new UndeclaredBrokerError(name, type.name);
      }
    }
  }
}
