import fc from 'fast-check';
import { CommandModes } from './command-modes.js';
import { CqrsBridgeConfigurationError } from './cqrs-bridge-configuration.error.js';

class KillDragon {}
class DropAncientItem {}
class Rest {}

describe('CommandModes', () => {
  it('runs listed classes as listed, the others by commands.default', () => {
    const modes = new CommandModes({ default: 'sync', async: [DropAncientItem] }, 'async');
    expect(modes.modeOf(KillDragon)).toBe('sync');
    expect(modes.modeOf(DropAncientItem)).toBe('async');
  });

  it('falls back to command_processing when commands.default is not set', () => {
    expect(new CommandModes({ sync: [KillDragon] }, 'async').modeOf(Rest)).toBe('async');
    expect(new CommandModes({}, 'sync').modeOf(Rest)).toBe('sync');
    expect(new CommandModes(undefined, 'sync').modeOf(Rest)).toBe('sync');
  });

  it('refuses a class listed both sync and async, naming it', () => {
    expect(() => new CommandModes({ sync: [KillDragon], async: [KillDragon] }, 'async')).toThrow(
      /KillDragon is listed both in sync and in async/,
    );
  });

  it('refuses async commands under command_processing = "sync", naming the key', () => {
    const refusal = () => new CommandModes({ async: [DropAncientItem] }, 'sync');
    expect(refusal).toThrow(CqrsBridgeConfigurationError);
    expect(refusal).toThrow(/command_processing: is "sync"/);
    expect(() => new CommandModes({ default: 'async' }, 'sync')).toThrow(
      CqrsBridgeConfigurationError,
    );
  });

  const mode = fc.constantFrom('sync' as const, 'async' as const);
  const classes = Array.from({ length: 6 }, (_, index) => {
    const type = class {};
    Object.defineProperty(type, 'name', { value: `Command${index}` });
    return type;
  });
  /** Each class: unlisted, listed sync, or listed async. */
  const listing = fc.array(fc.constantFrom('none', 'sync', 'async'), {
    minLength: classes.length,
    maxLength: classes.length,
  });

  it('property: a listed class gets its listing, every other the default, whatever the mix', () => {
    fc.assert(
      fc.property(listing, fc.option(mode, { nil: undefined }), (listed, fallback) => {
        const sync = classes.filter((_, index) => listed[index] === 'sync');
        const async = classes.filter((_, index) => listed[index] === 'async');
        const modes = new CommandModes({ default: fallback, sync, async }, 'async');
        classes.forEach((type, index) => {
          const expected = listed[index] === 'none' ? (fallback ?? 'async') : listed[index];
          expect(modes.modeOf(type)).toBe(expected);
        });
      }),
    );
  });

  it('property: under command_processing = "sync", accepted exactly when nothing is async', () => {
    fc.assert(
      fc.property(listing, fc.option(mode, { nil: undefined }), (listed, fallback) => {
        const sync = classes.filter((_, index) => listed[index] === 'sync');
        const async = classes.filter((_, index) => listed[index] === 'async');
        const make = () => new CommandModes({ default: fallback, sync, async }, 'sync');
        if (async.length > 0 || fallback === 'async')
          expect(make).toThrow(CqrsBridgeConfigurationError);
        else expect(make().modeOf(classes[0])).toBe('sync');
      }),
    );
  });
});
