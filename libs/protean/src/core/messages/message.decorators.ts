import { MESSAGE_METADATA } from './protean.constants.js';
import type { MessageMetadataOptions, MessageTypeMetadata, Type } from './domain-types.js';

const declared = new Set<Type>();

/** Every class decorated as a command or event in this process. */
export const declaredMessages = (): readonly Type[] => [...declared];

function messageDecorator(
  kind: MessageTypeMetadata['kind'],
  options: MessageMetadataOptions,
): ClassDecorator {
  return (target) => {
    const metadata: MessageTypeMetadata = {
      kind,
      name: options.name ?? target.name,
      version: options.version ?? 1,
      category: options.category,
      identifiedBy: options.identifiedBy,
    };
    Reflect.defineMetadata(MESSAGE_METADATA, metadata, target);
    declared.add(target as unknown as Type);
  };
}

/**
 * Marks a command: an intention addressed to one aggregate, named by the field `identifiedBy`.
 * Its fields may carry class-validator decorators; they are checked whenever it is processed.
 */
export const DomainCommand = (options: MessageMetadataOptions & { identifiedBy: string }) =>
  messageDecorator('COMMAND', options);

/** Marks a domain event: a fact raised by an aggregate of `category`. */
export const DomainEvent = (options: MessageMetadataOptions) => messageDecorator('EVENT', options);
