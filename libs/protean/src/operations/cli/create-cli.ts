import type { DynamicModule } from '@nestjs/common';
import { Command } from 'commander';
import type { ProteanConfig } from '../../core/config/config.schema.js';
import type { Type } from '../../core/messages/domain-types.js';
import { hasColours } from '../observability/logging/colours.js';
import type { CliCommand, CliContext } from './cli-command.js';
import { dbCommand } from './commands/db.command.js';
import { dlqCommand } from './commands/dlq.command.js';
import { observatoryCommand } from './commands/observatory.command.js';
import { outboxCommand } from './commands/outbox.command.js';
import { serverCommand } from './commands/server.command.js';
import { subscriptionsCommand } from './commands/subscriptions.command.js';
import { helpStyles } from './output/help-styles.js';
import { locateProject } from './locate-project.js';
import { DomainMismatchError } from './domain-mismatch.error.js';
import { DomainNotConfiguredError } from './domain-not-configured.error.js';
import { ProjectModuleNotFoundError } from './project-module-not-found.error.js';

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
  /**
   * The domain's name, as given to `ProteanModule.forRoot`. Without it, the CLI finds the
   * project (`--module`, the `protean` field of package.json, see `locateProject`), and
   * `--domain` names the domain where nothing declares one.
   */
  readonly domain?: string;
  /** The project's domain modules (e.g. `BookshelfModule`), imported beside ProteanModule. */
  readonly imports?: ReadonlyArray<Type | DynamicModule>;
  /** The commands; {@link defaultCommands} unless given (spread them to add your own). */
  readonly commands?: readonly CliCommand[];
  readonly name?: string;
  /** Answered by `--version`. */
  readonly version?: string;
  /** The script and arguments (default `process.argv.slice(1)`). */
  readonly argv?: readonly string[];
  /** Where the project is looked for (default: the working directory). */
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout?: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr?: NodeJS.WritableStream;
}

interface GlobalOptions {
  domain?: string;
  module?: string;
}

/**
 * Builds the `protean` command line with its commands registered; `runCli` parses and runs it.
 * Building it loads no Nest and no project code: commands load what they need when they run.
 */
export function createCli(options: CliOptions): Command {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  let loaded: Promise<ProteanConfig> | undefined;
  let domain = options.domain;
  let modules: () => Promise<ReadonlyArray<Type | DynamicModule>> = async () =>
    options.imports ?? [];

  const loadConfig = async (overrides?: Record<string, unknown>) =>
    (await import('../../core/config/bootstrap-configuration.js')).loadConfigurationOrExit(
      overrides ? { overrides } : undefined,
    );

  /** Applies `--domain` / `--module` and, without explicit options, finds the project. */
  const settle = (global: GlobalOptions) => {
    if (options.imports || options.domain) {
      if (global.domain !== undefined && options.domain && global.domain !== options.domain)
        throw new DomainMismatchError(global.domain, options.domain, 'this CLI');
      domain ??= global.domain;
      return;
    }
    const project = locateProject({ module: global.module, cwd, env });
    if (global.domain !== undefined && project.domain && global.domain !== project.domain)
      throw new DomainMismatchError(global.domain, project.domain, project.domainSource!);
    domain = project.domain ?? global.domain;
    let found: Promise<ReadonlyArray<Type | DynamicModule>> | undefined;
    modules = () => {
      if (!project.module) return Promise.reject(new ProjectModuleNotFoundError(cwd));
      const module = project.module;
      found ??= import('./load-project-module.js').then(async ({ loadProjectModule }) => [
        await loadProjectModule(module),
      ]);
      return found;
    };
  };

  // Each loaded only when a command runs, and only the one it asks for.
  const bootDomain = async (boot: { domain: string; config: ProteanConfig }) =>
    (await import('./cli-application.js')).bootCliApplication({
      ...boot,
      modules: await modules(),
    });
  const bootOperations = async (boot: { domain: string; config: ProteanConfig }) =>
    (await import('./operations-application.js')).bootOperationsApplication(boot);

  const context: CliContext = {
    stdin: options.stdin ?? process.stdin,
    stdout,
    stderr,
    get domain(): string {
      if (domain === undefined) throw new DomainNotConfiguredError();
      return domain;
    },
    modules: () => modules(),
    argv: options.argv ?? process.argv.slice(1),
    config: (overrides) => (overrides ? loadConfig(overrides) : (loaded ??= loadConfig())),
    async withApplication(work, { domain = true } = {}) {
      const config = await context.config();
      const app = domain
        ? await bootDomain({ domain: context.domain, config })
        : await bootOperations({ domain: context.domain, config });
      try {
        return await work(app);
      } finally {
        await app.close();
      }
    },
  };
  const program = new Command(options.name ?? 'protean')
    .description(
      options.domain
        ? `Protean for Nest: the ${options.domain} domain's operations`
        : "Protean for Nest: your domain's server engine, dead letters, outbox and database",
    )
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
      getOutHasColors: () => hasColours(stdout, env),
      getErrHasColors: () => hasColours(stderr, env),
    })
    .configureHelp(helpStyles)
    .showHelpAfterError()
    .option('--domain <name>', 'the domain to operate on (must match the configured one)')
    .option(
      '--module <file[#Export]>',
      'the compiled module holding your handlers (default: "protean".module in package.json)',
    )
    .hook('preAction', (command) => settle(command.opts<GlobalOptions>()));
  if (options.version) program.version(options.version, '-V, --version');
  for (const command of options.commands ?? defaultCommands) command.register(program, context);
  return program;
}
