/** `bookshelf::book-<id>` → `bookshelf::book`: the broker stream a message travels on. */
export function categoryOf(stream: string): string {
  const separator = instanceSeparator(stream);
  return separator === -1 ? stream : stream.slice(0, separator);
}

/** `bookshelf::book-<id>` → `<id>`: the aggregate a message belongs to, if any. */
export function aggregateIdOf(stream: string): string | undefined {
  const separator = instanceSeparator(stream);
  return separator === -1 ? undefined : stream.slice(separator + 1);
}

/** Domain streams (`<domain>::…`) name an instance after the first `-`; others never do. */
function instanceSeparator(stream: string): number {
  const domainEnd = stream.indexOf('::');
  return domainEnd === -1 ? -1 : stream.indexOf('-', domainEnd + 2);
}

/** The event stream category of an aggregate category: `bookshelf::book`. */
export const eventCategory = (domain: string, category: string): string => `${domain}::${category}`;

/** The command stream category of an aggregate category: `bookshelf::book:command`. */
export const commandCategory = (domain: string, category: string): string =>
  `${domain}::${category}:command`;

/** The stream of one aggregate in a category: `bookshelf::book` + `<id>` → `bookshelf::book-<id>`. */
export const instanceStream = (category: string, aggregateId: string): string =>
  `${category}-${aggregateId}`;

/**
 * A message's kind by its stream: commands travel on `<domain>::<category>:command…` streams,
 * events on the others (the event store keeps no kind column; this tells its rows apart).
 */
export const kindOfStream = (stream: string): 'COMMAND' | 'EVENT' =>
  categoryOf(stream).endsWith(':command') ? 'COMMAND' : 'EVENT';
