import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import { Logger } from 'nestjs-pino';
import { loadConfigurationOrExit } from '../config/bootstrap-configuration.js';
import type { ProteanConfig } from '../config/config.schema.js';
import type { Type } from '../domain/domain-types.js';
import { logSettingsOrExit } from '../observability/logging/log-settings.js';
import { ProteanLoggerModule } from '../observability/logging/protean-logger.module.js';
import { ProteanStatusModule } from '../observability/status/protean-status.module.js';
import { ProteanModule } from '../protean.module.js';
import type { CliCommand, CliContext } from './cli-command.js';
import { dbCommand } from './commands/db.command.js';
import { dlqCommand } from './commands/dlq.command.js';
import { observatoryCommand } from './commands/observatory.command.js';
import { outboxCommand } from './commands/outbox.command.js';
import { serverCommand } from './commands/server.command.js';
import { subscriptionsCommand } from './commands/subscriptions.command.js';
import { usageError } from './options/usage-error.js';

/** The commands every project gets. */
export const defaultCommands: readonly CliCommand[] = [
  dbCommand,
  outboxCommand,
  serverCommand,
  dlqCommand,
  subscriptionsCommand,
  observatoryCommand,
];

export interface CliOptions {
  /** The domain's name, as given to `ProteanModule.forRoot`. */
  readonly domain: string;
  /** The project's domain modules (e.g. `BookshelfModule`), imported beside ProteanModule. */
  readonly imports?: ReadonlyArray<Type | DynamicModule>;
  /** The commands; {@link defaultCommands} unless given (spread them to add your own). */
  readonly commands?: readonly CliCommand[];
  readonly name?: string;
  /** The script and arguments (default `process.argv.slice(1)`). */
  readonly argv?: readonly string[];
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout?: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr?: NodeJS.WritableStream;
}

/** The module a command boots: ProteanModule and the project's domain, nothing else. */
@Module({})
class CliApplicationModule {}

/** Builds the `protean` command line with its commands registered; `runCli` parses and runs it. */
export function createCli(options: CliOptions): Command {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  let loaded: Promise<ProteanConfig> | undefined;
  const context: CliContext = {
    stdin: options.stdin ?? process.stdin,
    stdout,
    stderr,
    domain: options.domain,
    imports: options.imports ?? [],
    argv: options.argv ?? process.argv.slice(1),
    config: (overrides) =>
      overrides ? loadConfigurationOrExit({ overrides }) : (loaded ??= loadConfigurationOrExit()),
    async withApplication(work, { runOutboxProcessor = false } = {}) {
      const config = await context.config();
      // Logs go to stderr (warnings and errors unless LOG_LEVEL says otherwise): stdout is
      // the command's output.
      const logging = logSettingsOrExit({ destination: 2, level: 'warn', name: 'protean-cli' });
      const app: INestApplicationContext = await NestFactory.createApplicationContext(
        {
          module: CliApplicationModule,
          imports: [
            ProteanModule.forRoot({ domain: options.domain, config, runOutboxProcessor }),
            ProteanLoggerModule.forRoot(logging),
            ProteanStatusModule,
            ...(options.imports ?? []),
          ],
        },
        { bufferLogs: true, abortOnError: false },
      );
      app.useLogger(app.get(Logger));
      try {
        return await work(app);
      } finally {
        await app.close();
      }
    },
  };
  const program = new Command(options.name ?? 'protean')
    .description(`Protean for Nest: the ${options.domain} domain's operations`)
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
    })
    .showHelpAfterError()
    .option('--domain <name>', `the domain to operate on (this CLI serves "${options.domain}")`)
    .hook('preAction', (command) => {
      const requested = command.opts<{ domain?: string }>().domain;
      if (requested !== undefined && requested !== options.domain) {
        usageError(command, `unknown domain "${requested}": this CLI serves "${options.domain}"`);
      }
    });
  for (const command of options.commands ?? defaultCommands) command.register(program, context);
  return program;
}
