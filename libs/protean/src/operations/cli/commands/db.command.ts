import type { Command } from 'commander';
import type { CliCommand, CliContext } from '../cli-command.js';

/** `db setup`: runs the migrations every configured PostgreSQL database still needs. */
export const dbCommand: CliCommand = {
  register(program: Command, context: CliContext): void {
    const db = program.command('db').description('database schema');
    db.command('setup')
      .description('create or upgrade the tables (migrations); safe to run again')
      .action(async () => {
        const { setupSchema } = await import('../../../adapters/postgresql/schema/schema-setup.js');
        const results = await setupSchema(await context.config());
        if (results.length === 0) {
          context.stdout.write('Nothing to set up: no PostgreSQL database is configured.\n');
          return;
        }
        for (const { roles, target, applied } of results) {
          const done = applied.length > 0 ? `applied ${applied.join(', ')}` : 'already up to date';
          context.stdout.write(`${target} (${roles.join(', ')}): ${done}\n`);
        }
      });
  },
};
