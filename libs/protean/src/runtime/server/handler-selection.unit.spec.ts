import fc from 'fast-check';
import { ConfigurationError } from '../../core/config/configuration.error.js';
import { HandlerSelection } from './handler-selection.js';

const KNOWN = ['CatalogProjector', 'OrderSummaryProjector', 'PlaceOrderHandler', 'EventPattern:x'];

/** A name of `KNOWN` as a user may write it: any letter case. */
const written = (name: string) =>
  fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((upper) =>
      [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''),
    );
const namesOf = fc.subarray(KNOWN).chain((names) => fc.tuple(...names.map(written)));

describe('HandlerSelection (server.handlers, server.exclude)', () => {
  it('runs the named handlers, or all when none is named, less the excluded, whatever their case', () => {
    fc.assert(
      fc.property(namesOf, namesOf, (handlers, exclude) => {
        const lower = (names: readonly string[]) => names.map((n) => n.toLowerCase());
        const expected = KNOWN.filter(
          (name) =>
            (handlers.length === 0 || lower(handlers).includes(name.toLowerCase())) &&
            !lower(exclude).includes(name.toLowerCase()),
        );
        const select = () => new HandlerSelection({ handlers, exclude }, KNOWN);
        if (expected.length === 0) {
          expect(select).toThrow(ConfigurationError);
          return;
        }
        const selection = select();
        expect(KNOWN.filter((name) => selection.runs(name))).toEqual(expected);
        expect(selection.names().sort()).toEqual([...expected].sort());
        expect(selection.all).toBe(expected.length === KNOWN.length);
        expect(selection.describe() === null).toBe(selection.all);
      }),
    );
  });

  it('refuses a name no handler has, naming the key and the nearest handler', () => {
    const refusal = (handlers: string[], exclude: string[] = []) => {
      try {
        new HandlerSelection({ handlers, exclude }, KNOWN);
      } catch (error) {
        return error as ConfigurationError;
      }
      throw new Error('accepted');
    };
    const typo = refusal(['CatalogProjektor']);
    expect(typo).toBeInstanceOf(ConfigurationError);
    expect(typo.key).toBe('server.handlers');
    expect(typo.message).toContain('no handler is named "CatalogProjektor"');
    expect(typo.message).toContain('did you mean "CatalogProjector"?');
    expect(refusal([], ['Nothing']).key).toBe('server.exclude');
    expect(refusal([], ['Nothing']).message).toContain('(handlers: CatalogProjector, ');
  });

  it('describes a pool as configured', () => {
    const pool = (handlers: string[], exclude: string[]) =>
      new HandlerSelection({ handlers, exclude }, KNOWN).describe();
    expect(pool([], [])).toBeNull();
    expect(pool(['catalogprojector'], [])).toBe('handlers catalogprojector');
    expect(pool([], ['CatalogProjector'])).toBe('every handler; exclude CatalogProjector');
  });

  it('leaves an application without handlers alone', () => {
    expect(new HandlerSelection({ handlers: [], exclude: [] }, []).names()).toEqual([]);
  });
});
