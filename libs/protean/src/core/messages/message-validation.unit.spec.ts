import 'reflect-metadata';
import { IsString } from 'class-validator';
import { problemsOf } from './message-validation.js';

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
