import { Redis } from 'ioredis';
import { eventually, within } from '../../testing/eventually.js';
import type { StreamBroker } from '../../../ports/broker/broker.port.js';
import { redisBroker } from '../../../../../../test/support/redis-broker.js';
import { SpawnedRedis } from '../../../../../../test/support/spawned-redis.js';
import { replayDeadLetters } from './dlq-replay-all.js';

const provenance = (originalId: string) => ({
  originalId,
  group: 'AlwaysFails',
  consumer: 'worker-1',
  error: 'Error: boom',
  attempts: 1,
  failedAt: new Date().toISOString(),
});

/**
 * A handler that fails on every message of `stream`, as a worker would: each message it reads
 * goes back to `<stream>:dlq` (with a new, later id) until `stop` is called.
 */
function failEverything(broker: StreamBroker, stream: string) {
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      const read = await broker.read(stream, 'AlwaysFails', 'worker-1', { count: 50, blockMs: 20 });
      for (const message of read)
        await broker.deadLetter(stream, message.data, provenance(message.id));
      await broker.ack(
        stream,
        'AlwaysFails',
        read.map((message) => message.id),
      );
    }
  })();
  return () => ((stopped = true), running);
}

/*
 * `dlq replay-all --all` on a private redis-server (it reads every DLQ there is): the letters
 * there when it starts are replayed once each, those that fail again or arrive meanwhile wait.
 */
describe('replay-all on redis', () => {
  let server: SpawnedRedis;
  let broker: StreamBroker;
  let handlerBroker: StreamBroker;
  let raw: Redis;
  let stopHandler: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    server = await SpawnedRedis.start();
    broker = redisBroker(server.url());
    handlerBroker = redisBroker(server.url(), {}, 'handler');
    raw = new Redis(server.url());
  }, 15_000);

  afterAll(async () => {
    await stopHandler?.();
    raw.disconnect();
    await Promise.all([broker.close(), handlerBroker.close()]);
    await server.stop();
  });

  it('replays the letters there at the start once each, across streams, and ends while letters keep arriving', async () => {
    // One listing's worth of one stream first, then another stream's letters, one without data.
    for (let n = 0; n < 100; n++) await broker.deadLetter('p0', `{"n":${n}}`, provenance(`${n}-0`));
    await broker.deadLetter('p1', '"a"', provenance('1-1'));
    const noData = await broker.deadLetter('p1', undefined, provenance('2-1'));
    await broker.deadLetter('p1', '"c"', provenance('3-1'));
    await handlerBroker.ensureGroup('p0', 'AlwaysFails', '$');
    stopHandler = failEverything(handlerBroker, 'p0');
    // Letters that reach a DLQ while the run goes on: at its first progress line.
    const lines: string[] = [];
    let arrivals: Promise<string[]> | undefined;
    const progress = {
      write: (text: string) => {
        lines.push(text);
        arrivals ??= Promise.all([
          broker.deadLetter('p1', '"late"', provenance('4-1')),
          broker.deadLetter('p1', undefined, provenance('5-1')),
        ]);
      },
    };

    const outcome = await within(
      replayDeadLetters(broker, undefined, progress),
      10_000,
      'replay-all',
    );

    expect(outcome.replayed).toBe(102);
    expect(outcome.unreplayable.map((letter) => [letter.stream, letter.id])).toEqual([
      ['p1', noData],
    ]);
    expect(lines).toEqual(['replaying: 100/103\n', 'replaying: 103/103\n']);
    // Each message replayed once, even those that failed again meanwhile; the late ones wait.
    const replayed = async (stream: string) =>
      (await raw.xrange(stream, '-', '+')).map(([, fields]) => fields[1]);
    expect(await replayed('p0')).toEqual(Array.from({ length: 100 }, (_, n) => `{"n":${n}}`));
    expect(await replayed('p1')).toEqual(['"a"', '"c"']);
    expect((await raw.xrange('p1:dlq', '-', '+')).map(([id]) => id)).toEqual([
      noData,
      ...(await arrivals!),
    ]);
    // The handler failed on every replayed message again: they are back, for the next run.
    await eventually(async () => (await raw.xlen('p0:dlq')) === 100, { what: 'p0 failed again' });
  });
});
