import type { Command } from 'commander';
import type {
  StatusSnapshot,
  SubscriptionState,
} from '../../observability/status/status-snapshot.js';
import type { CliCommand, CliContext } from '../cli-command.js';
import { countOrDash, formatTable } from '../output/format-table.js';

/**
 * The subscriptions with their group's numbers and the running workers that serve each, a
 * table; then the running workers and their pools; brokers that are down and handlers no
 * running worker serves, named below.
 */
export function formatSubscriptions(snapshot: StatusSnapshot): string {
  const deadLetters = new Map(
    snapshot.streams.map((s) => [`${s.broker}\n${s.stream}`, s.deadLetters]),
  );
  const unserved = (s: SubscriptionState) => s.planned && s.workers?.length === 0;
  const table = formatTable(
    [
      'HANDLER',
      'STREAM',
      'TYPE',
      'PROFILE',
      'BROKER',
      'WORKERS',
      'LAG',
      'PENDING',
      'PROCESSED',
      'DLQ',
    ],
    snapshot.subscriptions.map((s) => [
      s.planned ? (unserved(s) ? `${s.handler}!` : s.handler) : `${s.handler}*`,
      s.stream,
      s.type,
      s.profile ?? '-',
      s.broker ?? '-',
      countOrDash(s.workers ? s.workers.length : null),
      countOrDash(s.lag),
      countOrDash(s.pending),
      countOrDash(s.processed),
      countOrDash(s.broker ? deadLetters.get(`${s.broker}\n${s.stream}`) : null),
    ]),
    ['left', 'left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'right'],
  );
  const notes = snapshot.brokers
    .filter((broker) => !broker.up)
    .map((broker) => `broker "${broker.name}" is down: ${broker.error ?? 'no answer'}\n`);
  if (snapshot.subscriptions.some((s) => !s.planned))
    notes.push('* a consumer group at the broker that no handler of this application reads\n');
  const alone = [...new Set(snapshot.subscriptions.filter(unserved).map((s) => s.handler))];
  if (alone.length > 0)
    notes.push(`! no running worker serves ${alone.join(', ')}: its messages wait\n`);
  return table + notes.join('') + formatWorkers(snapshot.workers);
}

/** The running workers, each with its pool and how many handlers it runs. */
function formatWorkers(workers: StatusSnapshot['workers']): string {
  if (workers === null) return '';
  if (workers.length === 0) return '\nno running worker has announced itself\n';
  return (
    '\n' +
    formatTable(
      ['WORKER', 'POOL', 'HANDLERS', 'SEEN'],
      workers.map((worker) => [
        worker.consumer,
        worker.pool ?? 'every handler',
        String(worker.handlers.length),
        worker.seenAt,
      ]),
      ['left', 'left', 'right', 'left'],
    )
  );
}

/**
 * `subscriptions status [--json]`: every handler's subscriptions — stream, group, lag, pending,
 * processed and dead letters — from the broker, for all workers together.
 */
export const subscriptionsCommand: CliCommand = {
  register(program: Command, context: CliContext): void {
    const subscriptions = program
      .command('subscriptions')
      .description("the handlers' subscriptions (consumer groups)");
    subscriptions
      .command('status')
      .description('handlers, streams, groups, lag, pending and dead letters, from the broker')
      .option('--json', 'print JSON')
      .action(async (options: { json?: boolean }) => {
        const { ProteanStatus } = await import('../../observability/status/protean-status.js');
        const snapshot = await context.withApplication((app) => app.get(ProteanStatus).snapshot());
        context.stdout.write(
          options.json
            ? `${JSON.stringify({
                subscriptions: snapshot.subscriptions,
                streams: snapshot.streams,
                brokers: snapshot.brokers,
                workers: snapshot.workers,
              })}\n`
            : formatSubscriptions(snapshot),
        );
      });
  },
};
