import { InlineBroker } from '../../../adapters/memory/inline-broker/inline.broker.js';
import { replayDeadLetters } from './dlq-replay-all.js';
import { DeadLettersNotReplayedError } from './dead-letters-not-replayed.error.js';

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
