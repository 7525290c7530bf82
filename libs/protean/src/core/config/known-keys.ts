import type { z } from 'zod';

/** A zod schema's definition, as far as the key walk below reads it. */
interface Definition {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly in?: z.ZodType;
}

const definitionOf = (schema: z.ZodType): Definition =>
  (schema as unknown as { _zod: { def: Definition } })._zod.def;

/**
 * The keys an object schema accepts at `path` (a record's entries — `databases.<name>` — take
 * any name and are walked through), or none where `path` leads to no object.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly string[]): string[] {
  let node: z.ZodType | undefined = schema;
  let remaining = [...path];
  while (node) {
    const def = definitionOf(node);
    if (def.innerType) node = def.innerType;
    else if (def.type === 'pipe') node = def.in;
    else if (def.type === 'record') {
      if (remaining.length === 0) return [];
      node = def.valueType;
      remaining = remaining.slice(1);
    } else if (def.type === 'object' && def.shape) {
      if (remaining.length === 0) return Object.keys(def.shape);
      node = def.shape[remaining[0]];
      remaining = remaining.slice(1);
    } else return [];
  }
  return [];
}

/** The known key closest to `key` when it is a near miss (a typo), else undefined. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  const tolerance = Math.max(2, Math.floor(key.length / 3));
  return best && best.distance <= tolerance ? best.key : undefined;
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}
