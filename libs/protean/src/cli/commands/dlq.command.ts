import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import type { BrokerLookup } from '../../brokers/broker-lookup.js';
import { deadLetterStream, type Broker, type DeadLetter } from '../../brokers/broker.port.js';
import { ProteanError } from '../../errors/protean.error.js';
import { BROKER_REGISTRY } from '../../protean.tokens.js';
import type { CliCommand, CliContext } from '../cli-command.js';
import { formatTable, shorten } from '../output/format-table.js';
import { Progress } from '../output/progress.js';

/** A dead letter id that no DLQ holds. */
class DeadLetterNotFoundError extends ProteanError {
  constructor(id: string, stream?: string) {
    super(`No dead letter ${id}${stream ? ` on ${stream}:dlq` : ''}; see \`dlq list\``);
  }
}

interface Scope {
  stream?: string;
  broker: string;
}

const brokerOf = (app: INestApplicationContext, name: string): Broker =>
  app.get<BrokerLookup>(BROKER_REGISTRY).get(name);

/** Dead letters as a table: one line each, the error shortened. */
export function formatDeadLetters(letters: readonly DeadLetter[]): string {
  if (letters.length === 0) return 'No dead letters.\n';
  return formatTable(
    ['ID', 'STREAM', 'GROUP', 'ATTEMPTS', 'FAILED AT', 'ERROR'],
    letters.map((letter) => [
      letter.id,
      letter.stream,
      letter.provenance.group,
      String(letter.provenance.attempts),
      letter.provenance.failedAt,
      shorten(letter.provenance.error, 60),
    ]),
    ['left', 'left', 'left', 'right'],
  );
}

/**
 * Counts the dead letters there are when `replay-all` starts, stream by stream as streams turn
 * up — the application's streams first, then any other a listing shows — so the replay can
 * stop after those: a letter that fails again and returns waits for the next run.
 */
class DeadLetterTally {
  private readonly counted = new Set<string>();
  total = 0;

  constructor(private readonly broker: Broker) {}

  async add(streams: Iterable<string>): Promise<void> {
    const fresh = [...new Set(streams)].filter((stream) => !this.counted.has(stream));
    for (const stream of fresh) this.counted.add(stream);
    const lengths = await Promise.all(
      fresh.map(async (stream) => (await this.broker.streamInfo(deadLetterStream(stream))).length),
    );
    this.total += lengths.reduce((sum, n) => sum + n, 0);
  }
}

/** `dlq list | inspect ID | replay ID | replay-all | purge [--stream S]`. */
export const dlqCommand: CliCommand = {
  register(program: Command, context: CliContext): void {
    const dlq = program.command('dlq').description('dead letters (<stream>:dlq)');
    const scoped = (command: Command) =>
      command
        .option('--stream <stream>', 'only this stream (default: every stream)')
        .option('--broker <name>', 'the broker', 'default');
    const withBroker = <T>(
      scope: Scope,
      work: (broker: Broker, app: INestApplicationContext) => Promise<T>,
    ) => context.withApplication((app) => work(brokerOf(app, scope.broker), app));

    scoped(dlq.command('list').description('dead letters, oldest first'))
      .option('--limit <n>', 'at most this many', (value) => Number(value), 100)
      .option('--json', 'print JSON')
      .action(async (options: Scope & { limit: number; json?: boolean }) => {
        const letters = await withBroker(options, (broker) =>
          broker.listDeadLetters(options.stream, options.limit),
        );
        context.stdout.write(
          options.json ? `${JSON.stringify(letters)}\n` : formatDeadLetters(letters),
        );
      });

    scoped(dlq.command('inspect').argument('<id>').description('one dead letter, with its message'))
      .option('--json', 'print JSON (the only format: the message is JSON)')
      .action(async (id: string, options: Scope) => {
        const letter = await withBroker(options, (broker) =>
          broker.inspectDeadLetter(id, options.stream),
        );
        if (!letter) throw new DeadLetterNotFoundError(id, options.stream);
        context.stdout.write(
          `${JSON.stringify({ ...letter, message: parsed(letter.data) }, null, 2)}\n`,
        );
      });

    scoped(
      dlq
        .command('replay')
        .argument('<id>')
        .description('publish a dead letter back to its stream'),
    ).action(async (id: string, options: Scope) => {
      const replayed = await withBroker(options, (broker) =>
        broker.replayDeadLetter(id, options.stream),
      );
      if (!replayed) throw new DeadLetterNotFoundError(id, options.stream);
      context.stdout.write(`Replayed ${id}.\n`);
    });

    scoped(
      dlq
        .command('replay-all')
        .description(
          'publish every dead letter back to its stream (those there when it starts: one that fails again waits for the next run)',
        ),
    ).action(async (options: Scope) => {
      const replayed = await withBroker(options, async (broker, app) => {
        const { ProteanStatus } = await import('../../observability/status/protean-status.js');
        const tally = new DeadLetterTally(broker);
        await tally.add(
          options.stream
            ? [options.stream]
            : app
                .get(ProteanStatus)
                .subscriptions()
                .filter((s) => s.type === 'stream' && s.broker === broker.name)
                .map((s) => s.stream),
        );
        const progress = new Progress(context.stderr, 'replaying', tally.total);
        let count = 0;
        for (;;) {
          const batch = await broker.listDeadLetters(options.stream, 100);
          await tally.add(batch.map((letter) => letter.stream));
          progress.setTotal(tally.total);
          const before = count;
          for (const letter of batch) {
            if (count >= tally.total) break;
            if (await broker.replayDeadLetter(letter.id, letter.stream)) {
              count++;
              progress.advance();
            }
          }
          if (count === before || count >= tally.total) break;
        }
        progress.finish();
        return count;
      });
      context.stdout.write(`Replayed ${replayed} dead letter(s).\n`);
    });

    scoped(dlq.command('purge').description('delete dead letters')).action(
      async (options: Scope) => {
        const purged = await withBroker(options, (broker) =>
          broker.purgeDeadLetters(options.stream),
        );
        context.stdout.write(`Purged ${purged} dead letter(s).\n`);
      },
    );
  },
};

function parsed(data: string | undefined): unknown {
  if (data === undefined) return undefined;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}
