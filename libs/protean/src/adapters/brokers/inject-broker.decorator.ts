import { Inject, Optional } from '@nestjs/common';

/** A parameter or property decorator, as Nest's `Inject` and `Optional` are at runtime. */
type MemberDecorator = (target: object, key: string | symbol | undefined, index?: number) => void;

/** Where a class records the broker names it injects (metadata on the class, per class). */
const INJECTED_BROKERS = 'protean:injected-brokers';

/** The injection token of the broker called `name`. */
export const getBrokerToken = (name = 'default'): string => `ProteanBroker:${name}`;

/**
 * Injects the broker called `name` (`default` when omitted). `ProteanModule` provides a token
 * for `default` and for each configured broker (`[brokers.<name>]`), and refuses to start when
 * a class asks for a name it does not provide, naming it and the configured ones — the token
 * is optional to Nest only so that this check, not a bare "can't resolve dependencies", answers.
 */
export const InjectBroker =
  (name = 'default'): PropertyDecorator & ParameterDecorator =>
  (target: object, key: string | symbol | undefined, index?: number) => {
    const type = typeof target === 'function' ? target : target.constructor;
    const names = (Reflect.getOwnMetadata(INJECTED_BROKERS, type) ?? []) as string[];
    Reflect.defineMetadata(INJECTED_BROKERS, [...names, name], type);
    for (const decorate of [Optional(), Inject(getBrokerToken(name))] as MemberDecorator[])
      decorate(target, key, index);
  };

/** The broker names `type` (and the classes it extends) injects with {@link InjectBroker}. */
export function injectedBrokerNames(type: object): readonly string[] {
  return (Reflect.getMetadata(INJECTED_BROKERS, type) ?? []) as string[];
}
