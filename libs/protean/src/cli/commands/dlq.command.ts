import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import type { BrokerLookup } from '../../brokers/broker-lookup.js';
import type { Broker, DeadLetter } from '../../brokers/broker.port.js';
import { ProteanError } from '../../errors/protean.error.js';
import { BROKER_REGISTRY } from '../../protean.tokens.js';
import type { CliCommand, CliContext } from '../cli-command.js';

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
  const rows = letters.map((letter) => [
    letter.id,
    letter.stream,
    letter.provenance.group,
    String(letter.provenance.attempts),
    letter.provenance.failedAt,
    letter.provenance.error.length > 60
      ? `${letter.provenance.error.slice(0, 59)}…`
      : letter.provenance.error,
  ]);
  const header = ['ID', 'STREAM', 'GROUP', 'ATTEMPTS', 'FAILED AT', 'ERROR'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** `dlq list | inspect ID | replay ID | replay-all | purge [--stream S]`. */
export const dlqCommand: CliCommand = {
  register(program: Command, context: CliContext): void {
    const dlq = program.command('dlq').description('dead letters (<stream>:dlq)');
    const scoped = (command: Command) =>
      command
        .option('--stream <stream>', 'only this stream (default: every stream)')
        .option('--broker <name>', 'the broker', 'default');
    const withBroker = <T>(scope: Scope, work: (broker: Broker) => Promise<T>) =>
      context.withApplication((app) => work(brokerOf(app, scope.broker)));

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

    scoped(
      dlq.command('inspect').argument('<id>').description('one dead letter, with its message'),
    ).action(async (id: string, options: Scope) => {
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
      dlq.command('replay-all').description('publish every dead letter back to its stream'),
    ).action(async (options: Scope) => {
      const replayed = await withBroker(options, async (broker) => {
        let count = 0;
        for (;;) {
          const batch = await broker.listDeadLetters(options.stream, 100);
          const before = count;
          for (const letter of batch) {
            if (await broker.replayDeadLetter(letter.id, letter.stream)) count++;
            context.stderr.write(`\rreplayed ${count}`);
          }
          if (count === before) return count;
        }
      });
      context.stderr.write('\n');
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
