import { messageOf } from '../errors/error-message.js';
import { WakeSignal } from './wake-signal.js';
import { settlesWithin, withTimeout } from './with-timeout.js';
import { ManualClock } from '../../../../../test/support/manual-clock.js';

const LONG = 60_000;

describe('WakeSignal', () => {
  it('ends every sleep in progress on a wake', async () => {
    const signal = new WakeSignal();
    const sleeps = [signal.sleep(LONG), signal.sleep(LONG)];
    signal.wake();
    await expect(settlesWithin(Promise.all(sleeps), 1000)).resolves.toBe(true);
  });

  it('forgets a wake nobody heard, unless told to keep it', async () => {
    const clock = new ManualClock();
    const forgetting = new WakeSignal({}, clock);
    forgetting.wake();
    let slept = false;
    void forgetting.sleep(200).then(() => (slept = true));
    await clock.advance(199);
    expect(slept).toBe(false);
    await clock.advance(1);
    expect(slept).toBe(true);

    const keeping = new WakeSignal({ keepUnheard: true }, clock);
    keeping.wake();
    await expect(settlesWithin(keeping.sleep(LONG), 1000)).resolves.toBe(true);
    // Kept once: the next sleep runs its course.
    const within = settlesWithin(keeping.sleep(200), 50, clock);
    await clock.advance(50);
    await expect(within).resolves.toBe(false);
  });
});

describe('withTimeout', () => {
  it('passes on what settles in time, and fails with the given error otherwise', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000, () => new Error('late'))).resolves.toBe(7);
    await expect(
      withTimeout(new Promise(() => undefined), 20, () => new Error('no answer within 20 ms')),
    ).rejects.toThrow('no answer within 20 ms');
  });
});

describe('settlesWithin', () => {
  it('passes a rejection on', async () => {
    await expect(settlesWithin(Promise.reject(new Error('broken')), 1000)).rejects.toThrow(
      'broken',
    );
  });
});

describe('messageOf', () => {
  it("reads an error's message, or says the value", () => {
    expect(messageOf(new TypeError('bad'))).toBe('bad');
    expect(messageOf({ message: 'from another realm' })).toBe('from another realm');
    expect(messageOf('plain')).toBe('plain');
    expect(messageOf(undefined)).toBe('undefined');
  });
});
