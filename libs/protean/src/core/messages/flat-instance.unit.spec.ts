import 'reflect-metadata';
import { Exclude, Expose, plainToInstance, Transform, Type } from 'class-transformer';
import fc from 'fast-check';
import { flatInstance, PLAIN_KEYS_REMEMBERED } from './flat-instance.js';

class Pinged {
  readonly pingId!: string;
  readonly sequence: number = 0;
  note = 'none';
}

class Stamped {
  @Type(() => Date)
  readonly at!: Date;
  readonly pingId!: string;
}

class Bracketed {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? `[${value}]` : value))
  readonly note!: string;
  readonly sequence!: number;
}

class Secretive {
  @Exclude()
  readonly secret?: string;
  readonly note!: string;
}

class Renamed {
  @Expose({ name: 'x' })
  readonly pingId!: string;
}

@Exclude()
class Guarded {
  @Expose()
  readonly note!: string;
  readonly secret?: string;
}

class Labelled {
  readonly note!: string;
  readonly fn = () => 'own function';

  get label(): string {
    return `label of ${this.note}`;
  }

  describe(): string {
    return this.note;
  }
}

class StampedLater extends Stamped {}

const CLASSES: Array<new () => object> = [
  Pinged,
  Stamped,
  Bracketed,
  Secretive,
  Renamed,
  Guarded,
  Labelled,
  StampedLater,
];
const KEYS = ['pingId', 'sequence', 'note', 'at', 'x', 'secret', 'label', 'describe', 'fn'];

/** What building gave: the instance's {@link shape}, or the error it threw, by class and text. */
const outcome = (build: () => unknown): unknown => {
  try {
    return { built: shape(build()) };
  } catch (error) {
    return { threw: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
};

/**
 * What a value is made of, comparable with `toStrictEqual`: prototypes kept, functions by kind
 * only (each instance has its own), dates by their time (an invalid one is never equal).
 */
const shape = (value: unknown): unknown => {
  if (typeof value === 'function') return 'a function';
  if (value instanceof Date) return { date: String(value.getTime()) };
  if (Array.isArray(value)) return value.map(shape);
  if (value === null || typeof value !== 'object') return value;
  return {
    prototype: Object.getPrototypeOf(value) as unknown,
    fields: Object.entries(value).map(([key, field]) => [key, shape(field)]),
  };
};

describe('flatInstance', () => {
  it('builds exactly what plainToInstance builds, or fails as it fails, for any class and JSON payload', () => {
    const value = fc.oneof(
      fc.string(),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant('2026-12-05T10:00:00.000Z'),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...CLASSES),
        fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string()), value),
        (type, payload) => {
          // Exactly: what it builds, and also how it fails (an object where a date is due…).
          expect(outcome(() => flatInstance(type, payload))).toStrictEqual(
            outcome(() => plainToInstance(type, payload)),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('stays exact past the keys it remembers, whatever keys producers send', () => {
    class Open {
      readonly note: string = 'none';
    }
    for (let n = 0; n < PLAIN_KEYS_REMEMBERED + 50; n++) {
      const payload = { [`key${n}`]: n, note: `note ${n}` };
      expect(shape(flatInstance(Open, payload))).toStrictEqual(
        shape(plainToInstance(Open, payload)),
      );
    }
  });

  it('keeps a JSON __proto__ key from reaching the prototype, as class-transformer does', () => {
    const payload = JSON.parse('{"__proto__":"x","note":"n"}') as Record<string, unknown>;
    const built = flatInstance(Pinged, payload);
    expect(Object.getPrototypeOf(built)).toBe(Pinged.prototype);
    expect(built).toStrictEqual(plainToInstance(Pinged, payload));
  });
});
