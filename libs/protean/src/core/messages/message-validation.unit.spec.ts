import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsString } from 'class-validator';
import { InvalidMessageError } from './invalid-message.error.js';
import { PermanentError } from '../errors/permanent.error.js';
import { instantiate, problemsOf } from './message-validation.js';

/** A library user's own command: no Protean rule written on it. */
class RenameShelf {
  @IsString()
  readonly name!: string;

  readonly position?: number;

  constructor(props: RenameShelf) {
    Object.assign(this, props);
  }
}

describe('problemsOf', () => {
  it('refuses values that cannot be stored in any message, beside its own rules', () => {
    expect(problemsOf(new RenameShelf({ name: 'a\u0000b', position: Infinity }))).toEqual([
      'name: contains the NUL character (U+0000), which PostgreSQL cannot store',
      'position: is Infinity, which JSON cannot carry (it becomes null)',
    ]);
    expect(problemsOf(new RenameShelf({ name: '\udfff' }))).toEqual([
      expect.stringMatching(/^name: is not well-formed Unicode/),
    ]);
  });

  it('still reports the class-validator rules, and nothing for a valid message', () => {
    expect(problemsOf(new RenameShelf({ name: 42 as unknown as string }))).toEqual([
      'name: name must be a string',
    ]);
    expect(problemsOf(new RenameShelf({ name: 'Fiction', position: 3 }))).toEqual([]);
  });

  it("validates a subclass by its parent's rules, and a class without rules for storability only", () => {
    class RenameShelfLater extends RenameShelf {}
    class ShelfRenamed {
      constructor(readonly name: unknown) {}
    }
    expect(problemsOf(new RenameShelfLater({ name: 7 as unknown as string }))).toEqual([
      'name: name must be a string',
    ]);
    expect(problemsOf(new ShelfRenamed(7))).toEqual([]);
    expect(problemsOf(new ShelfRenamed('a\u0000b'))).toEqual([
      'name: contains the NUL character (U+0000), which PostgreSQL cannot store',
    ]);
    // No class at all: nothing to look rules up by, still checked for storability.
    const bare = Object.assign(Object.create(null) as object, { name: 'a\u0000b' });
    expect(problemsOf(bare)).toEqual([
      'name: contains the NUL character (U+0000), which PostgreSQL cannot store',
    ]);
  });
});

/** A message with a field class-transformer converts: it throws on values it cannot convert. */
class ParcelShipped {
  @Type(() => Date)
  readonly at!: Date;

  readonly parcelId!: string;
}

describe('instantiate', () => {
  it('builds the instance, converted fields included', () => {
    const parcel = instantiate(ParcelShipped, { at: '2026-12-05T10:00:00.000Z', parcelId: 'p1' });
    expect(parcel).toBeInstanceOf(ParcelShipped);
    expect(parcel.at).toEqual(new Date('2026-12-05T10:00:00.000Z'));
  });

  it('refuses a payload it cannot build as an invalid message naming the field, never a bare TypeError', () => {
    // What class-transformer does with these: `new Date({ toString: '' })` throws a TypeError.
    for (const at of [{ toString: '' }, { valueOf: 1, toString: null }]) {
      let thrown: unknown;
      try {
        instantiate(ParcelShipped, { parcelId: 'p1', at });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidMessageError);
      expect(thrown).toBeInstanceOf(PermanentError); // dead-lettered at once, never retried
      expect((thrown as InvalidMessageError).problems).toEqual([
        expect.stringMatching(/^at: Cannot convert object to primitive value/),
      ]);
      expect((thrown as Error).message).toMatch(/^Payload cannot be built as ParcelShipped: at: /);
    }
  });
});
