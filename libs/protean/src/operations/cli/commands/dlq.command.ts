import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import type { BrokerLookup } from '../../../ports/broker/broker-lookup.js';
import type { Broker, DeadLetter } from '../../../ports/broker/broker.port.js';
import { deadLettersOf } from '../../../ports/broker/broker-roles.js';
import {
  deadLetterScope,
  scopedStream,
  type DeadLetterScope,
} from '../../../ports/broker/dead-letter-scope.js';
import { InvalidDeadLetterScopeError } from '../../../ports/broker/invalid-dead-letter-scope.error.js';
import { BROKER_REGISTRY } from '../../../core/protean.tokens.js';
import type { CliCommand, CliContext } from '../cli-command.js';
import { deadLetterId, streamName, wholeNumber } from '../options/cli-parsers.js';
import { confirmOrStop } from '../options/confirmation.js';
import { usageError } from '../options/usage-error.js';
import { formatTable, shorten } from '../output/format-table.js';
import { replayDeadLetters } from './dlq-replay-all.js';
import { DeadLettersNotReplayedError } from './dead-letters-not-replayed.error.js';
import { DeadLetterNotFoundError } from './dead-letter-not-found.error.js';

interface Scope {
  stream?: string;
  broker: string;
}

/** The options of `purge` and `replay-all`: a stream or `--all`, and `--yes`. */
interface DestructiveOptions extends Scope {
  all?: boolean;
  yes?: boolean;
}

/** Most dead letters `dlq list` prints at once. */
const MAX_LIST_LIMIT = 100_000;

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

/** The scope of a destructive command from its options; a usage error when there is none. */
function scopeOf(command: Command, options: DestructiveOptions): DeadLetterScope {
  try {
    return deadLetterScope(options, { stream: '--stream', all: '--all' });
  } catch (error) {
    if (error instanceof InvalidDeadLetterScopeError) usageError(command, error.message);
    throw error;
  }
}

/** What a scope covers, for questions and messages. */
const described = (scope: DeadLetterScope, broker: string) =>
  `${'stream' in scope ? `of stream "${scope.stream}"` : 'of EVERY stream'} (broker "${broker}")`;

/**
 * `dlq list | inspect ID | replay ID | replay-all | purge`. `replay-all` and `purge` act on
 * `--stream S` or, said explicitly, `--all`, and ask for confirmation (`--yes` without a
 * terminal).
 */
export const dlqCommand: CliCommand = {
  register(program: Command, context: CliContext): void {
    const dlq = program.command('dlq').description('dead letters (<stream>:dlq)');
    // Dead letters live in the broker: every command boots the infrastructure alone, no domain.
    const withBroker = <T>(scope: Scope, work: (broker: Broker) => Promise<T>) =>
      context.withApplication((app) => work(brokerOf(app, scope.broker)), { domain: false });
    const scoped = (command: Command, stream = 'only this stream (default: every stream)') =>
      command
        .option('--stream <stream>', stream, streamName)
        .option('--broker <name>', 'the broker', 'default');
    const destructive = (command: Command) =>
      scoped(command, 'this stream')
        .option('--all', 'every stream (instead of --stream)')
        .option('--yes', 'do not ask for confirmation (needed without a terminal)');

    scoped(dlq.command('list').description('dead letters, oldest first'))
      .option(`--limit <n>`, 'at most this many', wholeNumber(1, MAX_LIST_LIMIT), 100)
      .option('--json', 'print JSON')
      .action(async (options: Scope & { limit: number; json?: boolean }) => {
        const letters = await withBroker(options, (broker) =>
          deadLettersOf(broker, 'list dead letters').listDeadLetters(options.stream, options.limit),
        );
        context.stdout.write(
          options.json ? `${JSON.stringify(letters)}\n` : formatDeadLetters(letters),
        );
      });

    scoped(
      dlq
        .command('inspect')
        .argument('<id>', 'the dead letter id', deadLetterId)
        .description('one dead letter, with its message'),
    )
      .option('--json', 'print JSON (the only format: the message is JSON)')
      .action(async (id: string, options: Scope) => {
        const letter = await withBroker(options, (broker) =>
          deadLettersOf(broker, 'inspect dead letters').inspectDeadLetter(id, options.stream),
        );
        if (!letter) throw new DeadLetterNotFoundError(id, options.stream);
        context.stdout.write(
          `${JSON.stringify({ ...letter, message: parsed(letter.data) }, null, 2)}\n`,
        );
      });

    scoped(
      dlq
        .command('replay')
        .argument('<id>', 'the dead letter id', deadLetterId)
        .description('publish a dead letter back to its stream'),
    ).action(async (id: string, options: Scope) => {
      const replayed = await withBroker(options, (broker) =>
        deadLettersOf(broker, 'replay dead letters').replayDeadLetter(id, options.stream),
      );
      if (!replayed) throw new DeadLetterNotFoundError(id, options.stream);
      context.stdout.write(`Replayed ${id}.\n`);
    });

    destructive(
      dlq
        .command('replay-all')
        .description(
          'publish every dead letter back to its stream (those there when it starts: one that fails again waits for the next run)',
        ),
    ).action(async (options: DestructiveOptions, command: Command) => {
      const scope = scopeOf(command, options);
      await confirmOrStop(context, command, {
        yes: options.yes,
        question: `Replay every dead letter ${described(scope, options.broker)}?`,
        nothingDone: 'nothing was replayed',
      });
      const outcome = await withBroker(options, (broker) =>
        // Its first question to the broker is a listing: a refusal names that.
        replayDeadLetters(
          deadLettersOf(broker, 'list dead letters'),
          scopedStream(scope),
          context.stderr,
        ),
      );
      context.stdout.write(`Replayed ${outcome.replayed} dead letter(s).\n`);
      if (outcome.unreplayable.length > 0)
        throw new DeadLettersNotReplayedError(outcome.unreplayable);
    });

    destructive(dlq.command('purge').description('delete dead letters')).action(
      async (options: DestructiveOptions, command: Command) => {
        const scope = scopeOf(command, options);
        await confirmOrStop(context, command, {
          yes: options.yes,
          question: `Delete every dead letter ${described(scope, options.broker)}?`,
          nothingDone: 'nothing was purged',
        });
        const purged = await withBroker(options, (broker) =>
          deadLettersOf(broker, 'purge dead letters').purgeDeadLetters(scopedStream(scope)),
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
