import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { commaSeparated } from '../../../core/config/comma-separated.js';
import { SUBSCRIPTION_PROFILES } from '../../../core/config/subscription-profile-names.js';
import type { CliCommand, CliContext } from '../cli-command.js';
import { wholeNumber } from '../options/cli-parsers.js';
import type { ServerOptions } from './server.action.js';

/** Most worker processes one supervisor starts. */
const MAX_WORKERS = 64;

function profile(value: string): string {
  if (!(SUBSCRIPTION_PROFILES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${SUBSCRIPTION_PROFILES.join(', ')}`);
  }
  return value;
}

/** Handler names, comma-separated: `CatalogProjector,OrderSummaryProjector`. */
function handlerNames(value: string): string[] {
  const names = commaSeparated(value);
  if (names.length === 0) throw new InvalidArgumentError('expected handler names, comma-separated');
  return names;
}

/**
 * `server [--workers N] [--profile P] [--handlers A,B | --exclude C]`: the engine in this
 * process, or N supervised worker processes; with `--handlers` / `--exclude`, a pool that runs
 * some handlers only.
 */
export const serverCommand: CliCommand = {
  register(program: Command, context: CliContext): void {
    program
      .command('server')
      .description(
        'run the server engine (subscriptions, retries, dead letters, the outbox processor)',
      )
      .option(
        '--workers <n>',
        'supervise N worker processes, restarting any that crashes',
        wholeNumber(1, MAX_WORKERS),
      )
      .option('--profile <profile>', 'default subscription profile', profile)
      .option(
        '--handlers <names>',
        'run only these handlers, comma-separated (a worker pool; server.handlers)',
        handlerNames,
      )
      .option(
        '--exclude <names>',
        'run every handler but these, comma-separated (server.exclude)',
        handlerNames,
      )
      .action(async (options: ServerOptions) => {
        // Nest and the engine are loaded when the command runs, not for `--help`.
        const { runServer } = await import('./server.action.js');
        await runServer(context, options);
      });
  },
};
