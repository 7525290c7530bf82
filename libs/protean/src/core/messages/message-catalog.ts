import { MESSAGE_METADATA } from './protean.constants.js';
import type { MessageTypeMetadata, Type } from './domain-types.js';
import { NotAMessageError } from './not-a-message.error.js';

/** The `@DomainCommand` / `@DomainEvent` metadata of a message class. */
export function messageMetadataOf(type: Type): MessageTypeMetadata {
  const metadata = Reflect.getMetadata(MESSAGE_METADATA, type) as MessageTypeMetadata | undefined;
  if (!metadata) throw new NotAMessageError(type);
  return metadata;
}

/** The wire type name of a message class in a domain: `bookshelf.BookAdded.v1`. */
export function messageTypeName(domain: string, type: Type): string {
  const { name, version } = messageMetadataOf(type);
  return `${domain}.${name}.v${version}`;
}
