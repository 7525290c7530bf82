import { Inject } from '@nestjs/common';

/**
 * Every name passed to {@link InjectBroker} so far. Decorators run when classes are defined,
 * before the module is built, so the module can provide one token per name found here.
 */
export const requestedBrokerNames = new Set<string>();

/** The injection token of the broker called `name`. */
export const getBrokerToken = (name = 'default'): string => `ProteanBroker:${name}`;

/** Injects the broker called `name` (`default` when omitted). */
export const InjectBroker = (name = 'default'): PropertyDecorator & ParameterDecorator => {
  requestedBrokerNames.add(name);
  return Inject(getBrokerToken(name));
};
