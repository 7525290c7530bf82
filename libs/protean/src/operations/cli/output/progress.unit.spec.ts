import { Progress } from './progress.js';

class Captured {
  text = '';
  constructor(readonly isTTY: boolean) {}
  write(chunk: string) {
    this.text += chunk;
  }
}

describe('progress of long CLI work', () => {
  it('writes plain lines every N items and at the end when stderr is not a terminal', () => {
    const stream = new Captured(false);
    const progress = new Progress(stream, 'replaying', 250, 100);
    for (let i = 0; i < 250; i++) progress.advance();
    progress.finish();
    expect(stream.text).toBe('replaying: 100/250\nreplaying: 200/250\nreplaying: 250/250\n');
  });

  it('draws a bar in place on a terminal and ends the line', () => {
    const stream = new Captured(true);
    const progress = new Progress(stream, 'replaying', 4);
    progress.advance(2);
    progress.advance(2);
    progress.finish();
    expect(stream.text).toContain('\r');
    expect(stream.text).toMatch(/\[#{30}\] 100% 4\/4/);
    expect(stream.text.endsWith('\n')).toBe(true);
    expect(stream.text.split('\n')).toHaveLength(2);
  });

  it('says 0 when there was nothing to do', () => {
    const stream = new Captured(false);
    new Progress(stream, 'replaying', 0).finish();
    expect(stream.text).toBe('replaying: 0/0\n');
  });
});
