import { hasColours } from './colours.js';

describe('hasColours', () => {
  const terminal = { isTTY: true };
  const pipe = {};

  it('colours a terminal, not a pipe', () => {
    expect(hasColours(terminal, {})).toBe(true);
    expect(hasColours(pipe, {})).toBe(false);
  });

  it('never colours with NO_COLOR, even when FORCE_COLOR asks', () => {
    expect(hasColours(terminal, { NO_COLOR: '1' })).toBe(false);
    expect(hasColours(pipe, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });

  it('follows FORCE_COLOR (0 refuses), and refuses TERM=dumb', () => {
    expect(hasColours(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(hasColours(terminal, { FORCE_COLOR: '0' })).toBe(false);
    expect(hasColours(terminal, { TERM: 'dumb' })).toBe(false);
  });
});
