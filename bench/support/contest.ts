import { median } from './stats.js';

/** One contender of a scenario: a name and one measured run (higher is better). */
export interface Contender<S> {
  readonly name: string;
  readonly run: () => Promise<S>;
}

/**
 * Runs the contenders alternately for `rounds` rounds, reversing the order every other round
 * (ABBA), so a slow drift of a shared machine falls on all of them alike. Resolves to every
 * contender's samples, by name.
 */
export async function alternate<S>(
  contenders: readonly Contender<S>[],
  rounds: number,
): Promise<Map<string, S[]>> {
  const samples = new Map(contenders.map((contender) => [contender.name, [] as S[]]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) samples.get(contender.name)!.push(await contender.run());
  }
  return samples;
}

/** `ours / theirs` as the table prints it. */
export const ratio = (ours: number, theirs: number): string => (ours / theirs).toFixed(2);

/** The median of one named series. */
export const medianOf = (samples: Map<string, number[]>, name: string): number =>
  median(samples.get(name)!);

/** Of `names`, the one with the highest median: a side at its best setting, as a user tunes it. */
export const bestOf = (samples: Map<string, number[]>, names: readonly string[]): string =>
  names.reduce((a, b) => (medianOf(samples, a) >= medianOf(samples, b) ? a : b));

/** Each contender's samples, rounded, as the results file records them. */
export const roundedSamples = (samples: Map<string, number[]>): Record<string, number[]> =>
  Object.fromEntries([...samples].map(([name, values]) => [name, values.map(Math.round)]));
