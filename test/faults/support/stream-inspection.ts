import type { Redis } from 'ioredis';

/** The domain's broker streams the bookshelf worker consumes. */
export const DOMAIN_STREAMS = [
  'bookshelf::book:command',
  'bookshelf::order:command',
  'bookshelf::book',
  'bookshelf::order',
];

/** Entries pending (delivered, not acknowledged) for consumers of process `pid`, all groups. */
export async function pendingOfProcess(redis: Redis, pid: number): Promise<number> {
  let pending = 0;
  for (const stream of DOMAIN_STREAMS) {
    if (!(await redis.exists(stream))) continue;
    const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
    for (const group of groups) {
      const name = String(group[group.indexOf('name') + 1]);
      const [, , , consumers] = (await redis.xpending(stream, name)) as [
        number,
        string,
        string,
        Array<[string, string]> | null,
      ];
      for (const [consumer, count] of consumers ?? [])
        if (consumer.includes(`-${pid}-`)) pending += Number(count);
    }
  }
  return pending;
}

/** How many stream entries carry an envelope id already seen on the stream (re-publications). */
export async function republishedEntries(redis: Redis): Promise<number> {
  let repeats = 0;
  for (const stream of DOMAIN_STREAMS) {
    const seen = new Set<string>();
    for (const [, fields] of await redis.xrange(stream, '-', '+')) {
      const id = (JSON.parse(fields[fields.indexOf('data') + 1]) as { id: string }).id;
      if (seen.has(id)) repeats++;
      seen.add(id);
    }
  }
  return repeats;
}

/** Entries on the domain streams' dead-letter streams. */
export async function deadLetters(redis: Redis): Promise<number> {
  let letters = 0;
  for (const stream of DOMAIN_STREAMS) letters += await redis.xlen(`${stream}:dlq`);
  return letters;
}

/** Error and fatal lines (pino levels 50, 60) of a process's JSON log output. */
export function errorLines(output: string): string[] {
  return output.split('\n').filter((line) => /"level":(50|60)\b/.test(line));
}
