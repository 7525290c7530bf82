import { InlineBroker } from '../../../adapters/memory/inline-broker/inline.broker.js';
import { replayDeadLetters } from './dlq-replay-all.js';
import { DeadLettersNotReplayedError } from './dead-letters-not-replayed.error.js';
import { SYSTEM_CLOCK } from '../../../core/async/clock.js';

describe('replay-all', () => {
  const broker = new InlineBroker('default', { maxPayloadBytes: 1024 * 1024, maxStreamLength: 0 });
  const quiet = { write: () => true };
  const provenance = {
    originalId: '1-0',
    group: 'G',
    consumer: 'c',
    error: 'boom',
    attempts: 1,
    failedAt: '2026-01-01T00:00:00.000Z',
  };

  afterAll(() => broker.close());

  it('replays past more letters without data than one listing holds, and returns them', async () => {
    const noData: string[] = [];
    for (let i = 0; i < 120; i++) noData.push(await broker.deadLetter('s', undefined, provenance));
    for (let i = 0; i < 30; i++) await broker.deadLetter('s', JSON.stringify(i), provenance);

    const outcome = await replayDeadLetters(broker, 's', quiet);

    expect(outcome.replayed).toBe(30);
    expect(outcome.unreplayable.map((letter) => letter.id)).toEqual(noData);
    expect((await broker.streamInfo('s')).length).toBe(30);
    expect((await broker.listDeadLetters('s', 1000)).map((letter) => letter.id)).toEqual(noData);
  });

  it.each([
    ['an hour ahead of', 3_600_000],
    ['an hour behind', -3_600_000],
  ])(
    "replays the letters there at its start on a broker whose clock runs %s this machine's, and no later ones",
    async (_, skewMs) => {
      const skewed = new InlineBroker(
        'skewed',
        { maxPayloadBytes: 1024, maxStreamLength: 0 },
        { ...SYSTEM_CLOCK, now: () => Date.now() + skewMs },
      );
      for (let i = 0; i < 150; i++) await skewed.deadLetter('s', JSON.stringify(i), provenance);
      // Each replay makes a later letter (a message that failed again): it waits for the next run.
      const replay = skewed.replayDeadLetter.bind(skewed);
      skewed.replayDeadLetter = async (id, stream) => {
        const replayed = await replay(id, stream);
        await skewed.deadLetter('s', '"again"', provenance);
        return replayed;
      };

      const outcome = await replayDeadLetters(skewed, undefined, quiet);

      expect(outcome.replayed).toBe(150);
      expect((await skewed.streamInfo('s')).length).toBe(150);
      expect((await skewed.listDeadLetters('s', 1000)).map((letter) => letter.data)).toEqual(
        Array.from({ length: 150 }, () => '"again"'),
      );
      await skewed.close();
    },
  );

  it('names at most twenty of them in its error, and counts the rest', () => {
    const letters = Array.from({ length: 22 }, (_, i) => ({
      id: `${i}-0`,
      stream: 's',
      data: undefined,
      provenance,
    }));
    const error = new DeadLettersNotReplayedError(letters);
    expect(error.message).toMatch(
      /^22 dead letter\(s\) not replayed, they have no data field: s 0-0, s 1-0, .*, s 19-0, and 2 more; /,
    );
  });
});
