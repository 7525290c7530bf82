import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import type { OutboxStats, OutboxStore } from '../../../ports/outbox/outbox-store.port.js';
import { OUTBOX_STATUSES } from '../../../ports/outbox/outbox-store.port.js';
import { OUTBOX_STORE } from '../../../core/protean.tokens.js';
import type { CliCommand, CliContext } from '../cli-command.js';
import { formatTable } from '../output/format-table.js';
import { InProcessOutboxError } from './in-process-outbox.error.js';
import { InvalidSinceError } from './invalid-since.error.js';

function storeOf(app: INestApplicationContext): OutboxStore {
  const store = app.get<OutboxStore>(OUTBOX_STORE);
  if (store.provider === 'memory') throw new InProcessOutboxError();
  return store;
}

function parseSince(value: string): Date {
  const since = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(since.getTime())) {
    throw new InvalidSinceError(value);
  }
  return since;
}

/** The stats as a small table, and the age of the oldest waiting row. */
export function formatOutboxStats(stats: OutboxStats): string {
  const table = formatTable(
    ['STATUS', 'ROWS'],
    OUTBOX_STATUSES.map((status) => [status, String(stats.counts[status])]),
    ['left', 'right'],
  );
  const age = stats.oldestPendingAgeSeconds;
  return `${table}oldest pending: ${age === null ? 'none' : `${age.toFixed(1)} s`}\n`;
}

/** `outbox status [--json]` and `outbox retry-abandoned`. */
export const outboxCommand: CliCommand = {
  register(program: Command, context: CliContext): void {
    const outbox = program.command('outbox').description('the transactional outbox');
    outbox
      .command('status')
      .description('rows by status and the age of the oldest unpublished row')
      .option('--json', 'print JSON')
      .action(async (options: { json?: boolean }) => {
        const stats = await context.withApplication((app) => storeOf(app).stats(), {
          domain: false,
        });
        context.stdout.write(
          options.json ? `${JSON.stringify(stats)}\n` : formatOutboxStats(stats),
        );
      });
    outbox
      .command('retry-abandoned')
      .description('requeue abandoned rows as pending, with no attempts counted')
      .action(async () => {
        const requeued = await context.withApplication((app) => storeOf(app).retryAbandoned(), {
          domain: false,
        });
        context.stdout.write(`Requeued ${requeued} abandoned outbox row(s) as pending.\n`);
      });
    outbox
      .command('republish')
      .description(
        'publish again every row published since a time (for a broker that lost its data; ' +
          'consumers deduplicate)',
      )
      .requiredOption('--since <time>', 'ISO 8601 time, e.g. 2026-01-31T12:00:00Z')
      .action(async (options: { since: string }) => {
        const since = parseSince(options.since);
        const requeued = await context.withApplication((app) => storeOf(app).republish(since), {
          domain: false,
        });
        context.stdout.write(
          `Requeued ${requeued} outbox row(s) published since ${since.toISOString()}; ` +
            `the relay publishes them again.\n`,
        );
      });
  },
};
