import { Module } from '@nestjs/common';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { SUBSCRIPTION_PROFILES } from '../../config/config.schema.js';
import { ProteanModule } from '../../protean.module.js';
import { runWorker } from '../../server/run-worker.js';
import { WorkerSupervisor } from '../../server/worker-supervisor.js';
import type { CliCommand, CliContext } from '../cli-command.js';
import { wholeNumber } from '../options/cli-parsers.js';

interface ServerOptions {
  workers?: number;
  profile?: string;
}

/** Most worker processes one supervisor starts. */
const MAX_WORKERS = 64;

function profile(value: string): string {
  if (!(SUBSCRIPTION_PROFILES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${SUBSCRIPTION_PROFILES.join(', ')}`);
  }
  return value;
}

/** `server [--workers N] [--profile P]`: the engine in this process, or N supervised worker processes. */
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
      .action(async (options: ServerOptions) => {
        const overrides = options.profile
          ? { server: { default_subscription_profile: options.profile } }
          : {};
        const config = await context.config(overrides);
        if (options.workers) {
          const command = context.argv.filter(
            (arg, i, all) =>
              arg !== '--workers' && all[i - 1] !== '--workers' && !arg.startsWith('--workers='),
          );
          await new WorkerSupervisor({
            workers: options.workers,
            command,
            healthPort: config.server.health.port,
            graceSeconds: config.server.shutdown_grace_seconds,
          }).run();
          return;
        }
        await runWorker(
          {
            module: ServerApplicationModule,
            imports: [
              ProteanModule.forRoot({ domain: context.domain, config, runOutboxProcessor: true }),
              ...context.imports,
            ],
          },
          config,
        );
        await new Promise(() => undefined); // runs until a signal closes it
      });
  },
};

/** The module `server` boots: ProteanModule and the project's domain. */
@Module({})
class ServerApplicationModule {}
