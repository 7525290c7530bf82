import { InlineBroker } from '../../adapters/memory/inline-broker/inline.broker.js';
import { PermanentError } from '../../core/errors/permanent.error.js';
import { DatabaseUnavailableError } from '../../adapters/postgresql/database-unavailable.error.js';
import type { MessageProcessor } from './message-processor.js';
import { StreamSubscription } from './stream-subscription.js';
import { DEFAULT_SUBSCRIPTION_SETTINGS } from '../../core/config/subscription-profiles.js';
import { ManualClock } from '../../../../../test/support/manual-clock.js';

/**
 * The failure rules of a stream subscription, on the in-memory broker: a permanent failure is
 * dead-lettered at once; only failures of the world count for the circuit breaker.
 */
const STREAM = 'bookshelf::book';

/** Each message's data names what its handler does: `ok`, or the failure it throws. */
const failures: Record<string, () => Error> = {
  poison: () => new Error('poison book'),
  permanent: () => new PermanentError('book 42 does not exist'),
  outage: () => new DatabaseUnavailableError('127.0.0.1:5432/shop', 'connection refused'),
};

describe('StreamSubscription failures', () => {
  let broker: InlineBroker;
  let subscription: StreamSubscription;
  let handled: string[];
  let clock: ManualClock;

  /** Moves the subscription's clock on in small steps until `condition` holds (5 s real at most). */
  const until = async (condition: () => Promise<boolean> | boolean, what: string) => {
    const deadline = Date.now() + 5_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`${what}: not within 5 s`);
      await clock.advance(5);
    }
  };

  const start = async (settings: Partial<typeof DEFAULT_SUBSCRIPTION_SETTINGS>) => {
    const processor: MessageProcessor = {
      group: 'G',
      stream: STREAM,
      decode: (message) => ({
        key: message.id,
        run: async () => {
          const kind = JSON.parse(message.data!) as string;
          if (kind !== 'ok') throw failures[kind]();
          handled.push(message.id);
        },
      }),
    };
    subscription = new StreamSubscription(
      broker,
      processor,
      {
        ...DEFAULT_SUBSCRIPTION_SETTINGS,
        subscription_profile: null,
        blocking_timeout_ms: 10,
        retry_delay_seconds: 0,
        max_retry_delay_seconds: 0,
        circuit_breaker_threshold: 3,
        circuit_breaker_reset_seconds: 60,
        concurrency: 1,
        ...settings,
      },
      'consumer-1',
      undefined,
      clock,
    );
    await subscription.start();
  };
  const publish = (...kinds: string[]) =>
    broker.publishBatch(kinds.map((kind) => ({ stream: STREAM, data: JSON.stringify(kind) })));
  const letters = () => broker.listDeadLetters(STREAM, 1000);

  beforeEach(() => {
    clock = new ManualClock();
    broker = new InlineBroker(
      'default',
      { maxPayloadBytes: 1024 * 1024, maxStreamLength: 0 },
      clock,
    );
    handled = [];
  });

  afterEach(async () => {
    subscription.stopReading();
    const stopped = Promise.all([subscription.drain(clock.now() + 1000), subscription.stopped()]);
    await clock.advance(1000);
    await stopped;
    await broker.close();
  });

  it('dead-letters a permanent failure at once, with attempts 1, whatever max_retries says', async () => {
    await start({ max_retries: 5 });
    await publish('permanent');
    await until(async () => (await letters()).length === 1, 'one dead letter');
    const [letter] = await letters();
    expect(letter.provenance).toMatchObject({ attempts: 1, group: 'G' });
    expect(letter.provenance.error).toBe('PermanentError: book 42 does not exist');
  });

  it('never opens the breaker for poison: ten messages failing in a row do not pause healthy traffic', async () => {
    await start({ max_retries: 1 });
    const poison = Array.from({ length: 10 }, (_, n) => (n % 2 ? 'poison' : 'permanent'));
    await publish(...poison);
    await until(async () => (await letters()).length === 10, 'ten dead letters');
    const [healthy] = await publish('ok');
    await until(() => handled.includes(healthy), 'the healthy message handled, not paused');
    const attempts = (await letters()).map((letter) => letter.provenance.attempts);
    expect(attempts.sort()).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
  });

  it('opens the breaker on failures of the world, and pauses reading for its reset time', async () => {
    await start({ max_retries: 0, enable_dlq: true });
    await publish('outage', 'outage', 'outage');
    await until(async () => (await letters()).length === 3, 'three failures');
    // Past the read that was in flight when the breaker opened (blocking_timeout_ms 10).
    await clock.advance(10);
    const [healthy] = await publish('ok');
    await clock.advance(59_000); // circuit_breaker_reset_seconds 60
    expect(handled).not.toContain(healthy);
    await clock.advance(1_000);
    await until(() => handled.includes(healthy), 'the healthy message handled once it half-opens');
  });
});
