import { tuneWorkerHeap } from './worker-heap.js';

describe('tuneWorkerHeap', () => {
  it.each([
    [['--max-old-space-size=512'], ''],
    [[], '--max-old-space-size=512 --enable-source-maps'],
    [['--heap-growing-percent=50'], ''],
  ])('leaves the heap alone when the operator sized it (%j, NODE_OPTIONS %j)', (argv, options) => {
    expect(tuneWorkerHeap(argv, options)).toBe(false);
  });

  it('tunes it otherwise', () => {
    expect(tuneWorkerHeap(['--enable-source-maps'], '--import ./tracing.js')).toBe(true);
  });
});
