import type { Command } from 'commander';
import type { CliCommand, CliContext } from '../cli-command.js';
import { wholeNumber } from '../options/cli-parsers.js';

/**
 * `observatory [--port P]`: the Observatory on its own, for a deployment whose API should not
 * serve it (or has no HTTP at all). It reads the same broker, database and outbox as the
 * workers; runs until SIGTERM / SIGINT.
 */
export const observatoryCommand: CliCommand = {
  register(program: Command, context: CliContext): void {
    program
      .command('observatory')
      .description('serve the Observatory (streams, lag, dead letters, trails) on its own port')
      .option('--port <port>', 'the HTTP port', wholeNumber(1, 65535), 9000)
      .action(async (options: { port: number }) => {
        // Nest is loaded when the command runs, not for `--help`.
        const { serveObservatory } = await import('./observatory.action.js');
        await serveObservatory(context, options.port);
      });
  },
};
