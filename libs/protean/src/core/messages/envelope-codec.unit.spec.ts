import fc from 'fast-check';
import {
  deserializeEnvelope,
  envelopeSchema,
  isPlainEnvelope,
  serializeEnvelope,
} from './envelope-codec.js';
import { InvalidMessageError } from './invalid-message.error.js';
import type { MessageEnvelope } from './message-envelope.js';

/**
 * Mostly ordinary values, else one of the ways a value can be wrong: the property needs many
 * envelopes that are valid, or wrong in one place only.
 */
const mostly = <T>(usual: fc.Arbitrary<T>, ...others: Array<fc.Arbitrary<unknown>>) =>
  fc.oneof({ weight: 15 * others.length, arbitrary: usual }, ...others);

/** Strings around a limit, astral characters included (zod counts those as one). */
const textAround = (max: number) =>
  mostly(
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.string({ minLength: max - 2, maxLength: max + 2 }),
    fc.string({ unit: 'grapheme', minLength: max / 2 - 1, maxLength: max / 2 + 1 }),
    fc.constant(''),
    fc.integer(),
    fc.constant(null),
  );

const anyJson = fc.jsonValue({ maxDepth: 2 });

const times = mostly(
  fc
    .date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
    .map((date) => date.toISOString()),
  fc.constantFrom(
    '2026-12-05T10:00:00+01:00',
    '2026-02-29T00:00:00Z',
    '2024-02-29T00:00:00Z',
    '2026-12-05T10:00:00',
    '2026-12-05 10:00:00Z',
    '2026-13-01T00:00:00Z',
  ),
  fc.string(),
  fc.integer(),
);

/** Values shaped like envelopes, each field valid or not, keys missing or extra. */
const envelopeLike = fc
  .record({
    id: textAround(128),
    type: textAround(256),
    stream: textAround(512),
    kind: mostly(fc.constantFrom('EVENT', 'COMMAND'), fc.constantFrom('event', '', 1)),
    payload: mostly(fc.dictionary(fc.string(), anyJson), anyJson),
    metadata: mostly(
      fc.record({
        correlationId: textAround(128),
        causationId: textAround(128),
        time: times,
        version: mostly(
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: -2, max: 0 }),
          fc.double(),
          fc.constant(2 ** 53),
          fc.constant(Number.MAX_SAFE_INTEGER),
        ),
        headers: mostly(
          fc.dictionary(fc.string(), fc.string()),
          fc.dictionary(fc.string(), anyJson),
          anyJson,
        ),
      }),
      anyJson,
    ),
  })
  .chain((value) =>
    // Sometimes a key goes missing, or one is added, at either level.
    fc.oneof(
      { weight: 20, arbitrary: fc.constant<Record<string, unknown>>(value) },
      fc.constantFrom(...Object.keys(value)).map((gone) => {
        const { [gone]: _dropped, ...rest } = value as Record<string, unknown>;
        return rest;
      }),
      anyJson.map((extra) => ({ ...value, extra })),
      anyJson.map((extra) =>
        typeof value.metadata === 'object' && value.metadata !== null
          ? { ...value, metadata: { ...value.metadata, extra } }
          : value,
      ),
    ),
  );

const validEnvelope = (): MessageEnvelope => ({
  id: 'a4c3b8e0-8f5e-4a43-9d7e-6d4b8e6f1a10',
  type: 'bookshelf.OrderPlaced.v1',
  stream: 'bookshelf::order-5f1c',
  kind: 'EVENT',
  payload: { orderId: '5f1c', lines: [{ isbn: '9780000000001', quantity: 2 }] },
  metadata: {
    correlationId: 'req-1',
    causationId: 'req-1',
    time: '2026-12-05T10:00:00.000Z',
    version: 1,
    headers: { traceparent: '00-abc-def-01' },
  },
});

describe('envelope codec: the hand-written check of the common case', () => {
  it('vouches only for what the schema accepts, and as the schema returns it', () => {
    let vouched = 0;
    fc.assert(
      fc.property(envelopeLike, (value) => {
        if (!isPlainEnvelope(value)) return;
        vouched++;
        const parsed = envelopeSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(value);
      }),
      { numRuns: 3000 },
    );
    // The generator reaches the vouched side often enough for the property to mean something.
    expect(vouched).toBeGreaterThan(100);
  });

  it('vouches for every ordinary envelope (otherwise the fast path is never taken)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 128 }),
        fc.constantFrom<'EVENT' | 'COMMAND'>('EVENT', 'COMMAND'),
        // A `__proto__` key never gets this far: parseUntrustedJson refuses the text.
        fc.dictionary(
          fc.string().filter((key) => key !== '__proto__'),
          fc.string(),
        ),
        fc.integer({ min: 1, max: 1000 }),
        (id, kind, headers, version) => {
          const envelope = validEnvelope();
          const value = {
            ...envelope,
            id,
            kind,
            metadata: { ...envelope.metadata, headers, version },
          };
          expect(isPlainEnvelope(JSON.parse(serializeEnvelope(value)))).toBe(true);
        },
      ),
    );
  });

  it('decodes an envelope to what it serialized', () => {
    const envelope = validEnvelope();
    expect(deserializeEnvelope(serializeEnvelope(envelope))).toEqual(envelope);
  });

  it('still names every problem of an invalid envelope (zod reports what the check refused)', () => {
    const envelope = validEnvelope();
    const text = JSON.stringify({
      ...envelope,
      kind: 'event',
      metadata: { ...envelope.metadata, version: 0, time: 'yesterday', unexpected: 1 },
    });
    let problems: readonly string[] = [];
    try {
      deserializeEnvelope(text);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidMessageError);
      problems = (error as InvalidMessageError).problems;
    }
    expect(problems.join('\n')).toMatch(/^kind: /m);
    expect(problems.join('\n')).toMatch(/^metadata\.version: /m);
    expect(problems.join('\n')).toMatch(/^metadata\.time: /m);
    expect(problems.join('\n')).toMatch(/^metadata: .*unexpected/m);
  });

  it('accepts what only zod can vouch for: a field within its limit counted in code points', () => {
    const envelope = { ...validEnvelope(), id: '😀'.repeat(100) }; // 200 UTF-16 units
    expect(isPlainEnvelope(envelope)).toBe(false);
    expect(deserializeEnvelope(JSON.stringify(envelope)).id).toBe(envelope.id);
  });
});
