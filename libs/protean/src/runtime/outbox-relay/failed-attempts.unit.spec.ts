import { failedAttempts } from './failed-attempts.js';
import type { ClaimedMessage } from '../../ports/outbox/outbox-store.port.js';

const retry = { max_attempts: 3, base_delay_seconds: 60, max_delay_seconds: 3600, jitter: 0 };
const message = (id: number, retryCount: number): ClaimedMessage => ({
  id,
  messageId: `m${id}`,
  stream: 's::a-1',
  data: '{}',
  retryCount,
  createdAt: 0,
});

describe('failedAttempts', () => {
  it('schedules the next attempt after the backoff of the failures so far', () => {
    const attempts = failedAttempts(
      [
        { message: message(1, 0), error: 'down' },
        { message: message(2, 1), error: 'down' },
      ],
      retry,
    );
    expect(attempts).toEqual([
      { id: 1, error: 'down', abandon: false, retryDelaySeconds: 60 },
      { id: 2, error: 'down', abandon: false, retryDelaySeconds: 120 },
    ]);
  });

  it('abandons a row on its max_attempts-th failure, keeping the error', () => {
    expect(failedAttempts([{ message: message(3, 2), error: 'too large' }], retry)).toEqual([
      { id: 3, error: 'too large', abandon: true, retryDelaySeconds: 0 },
    ]);
    expect(
      failedAttempts([{ message: message(4, 0), error: 'x' }], { ...retry, max_attempts: 1 }),
    ).toMatchObject([{ abandon: true }]);
  });
});
