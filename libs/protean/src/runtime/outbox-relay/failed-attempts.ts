import type { OutboxConfig } from '../../core/config/config.schema.js';
import type { FailedAttempt } from '../../ports/outbox/outbox-store.port.js';
import type { PublishOutcome } from './publish-in-order.js';
import { retryDelaySeconds } from './retry-backoff.js';

/**
 * What to record for each row that failed: another attempt after the backoff delay, or — when
 * this failure was attempt number `max_attempts` — abandonment with its error.
 */
export function failedAttempts(
  failed: PublishOutcome['failed'],
  retry: OutboxConfig['retry'],
  random: () => number = Math.random,
): FailedAttempt[] {
  return failed.map(({ message, error }) => {
    const abandon = message.retryCount + 1 >= retry.max_attempts;
    return {
      id: message.id,
      error,
      abandon,
      retryDelaySeconds: abandon ? 0 : retryDelaySeconds(message.retryCount, retry, random),
    };
  });
}
