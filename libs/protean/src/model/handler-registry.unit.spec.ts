import { Inject, Injectable, Scope, type Provider } from '@nestjs/common';
import { DiscoveryModule, REQUEST } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ENVELOPE_FACTORY } from '../core/protean.tokens.js';
import { DomainEvent } from '../core/messages/message.decorators.js';
import { EventHandler, Subscriber } from './handler.decorators.js';
import { HandlerRegistry } from './handler-registry.js';
import { HandlerRegistrationError } from './handler-registration.error.js';

@DomainEvent({ category: 'parcel' })
class ParcelShipped {
  readonly parcelId!: string;
}

@EventHandler(ParcelShipped)
class NotifyCustomer {
  handle(): void {}
}

@Injectable({ scope: Scope.REQUEST })
@EventHandler(ParcelShipped)
class NotifyPerRequest {
  handle(): void {}
}

@Injectable()
class CurrentUser {
  constructor(@Inject(REQUEST) readonly request: unknown) {}
}

@Subscriber({ stream: 'carrier-updates' })
class CarrierUpdates {
  constructor(readonly user: CurrentUser) {}
  handle(): void {}
}

@Injectable({ scope: Scope.TRANSIENT })
@EventHandler(ParcelShipped)
class NotifyTransient {
  handle(): void {}
}

/** A real Nest module holding the registry and `providers`, started as an application is. */
async function registryWith(...providers: Provider[]): Promise<HandlerRegistry> {
  const module = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [
      HandlerRegistry,
      { provide: ENVELOPE_FACTORY, useValue: { domain: 'shop' } },
      ...providers,
    ],
  }).compile();
  await module.init();
  const registry = module.get(HandlerRegistry);
  await module.close();
  return registry;
}

describe('HandlerRegistry scopes', () => {
  it('registers singleton handlers, and transient ones (one instance for the engine)', async () => {
    const registry = await registryWith(NotifyCustomer, NotifyTransient);
    expect(registry.handlers().map((handler) => handler.name)).toEqual([
      'NotifyCustomer',
      'NotifyTransient',
    ]);
  });

  it('refuses a request-scoped handler at start, naming it and saying why', async () => {
    const refusal = registryWith(NotifyCustomer, NotifyPerRequest);
    await expect(refusal).rejects.toThrow(HandlerRegistrationError);
    await expect(refusal).rejects.toThrow(
      /^Handler NotifyPerRequest is request-scoped: handlers are run by the engine, outside any request/,
    );
  });

  it('refuses a handler declared request-scoped where it is provided', async () => {
    await expect(
      registryWith({ provide: NotifyCustomer, useClass: NotifyCustomer, scope: Scope.REQUEST }),
    ).rejects.toThrow(/^Handler NotifyCustomer is request-scoped/);
  });

  it('refuses a handler that depends on a request-scoped provider', async () => {
    await expect(registryWith(CurrentUser, CarrierUpdates)).rejects.toThrow(
      /^Handler CarrierUpdates depends on a request-scoped provider \(such as REQUEST\)/,
    );
  });
});
