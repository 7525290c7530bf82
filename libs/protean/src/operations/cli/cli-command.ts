import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import type { Type } from '../../core/messages/domain-types.js';
import type { Command } from 'commander';
import type { ProteanConfig } from '../../core/config/config.schema.js';

/** What commands get from the CLI: the configuration, the application, and where to write. */
export interface CliContext {
  /**
   * The configuration, loaded as the applications load it (`.env`, `domain.toml`, `PROTEAN_*`).
   * An invalid one ends the process with one line and exit code 78.
   */
  config(overrides?: Record<string, unknown>): Promise<ProteanConfig>;
  /** The domain's name (the configured one, or `--domain`'s); read it in an action. */
  readonly domain: string;
  /**
   * The project's domain modules, imported beside ProteanModule; loaded on first call, so that
   * `--help` never loads them.
   */
  modules(): Promise<ReadonlyArray<Type | DynamicModule>>;
  /** The script and arguments this CLI was started with (to start copies of itself). */
  readonly argv: readonly string[];
  /**
   * Boots the project's domain as a Nest application context (no HTTP, no listeners), runs
   * `work` with it and closes it (the outbox processor does not run in it). With
   * `domain: false` only the configured infrastructure is booted (configuration, database,
   * event store, outbox store, brokers): faster, and independent of the domain's code.
   */
  withApplication<T>(
    work: (app: INestApplicationContext) => Promise<T>,
    options?: { domain?: boolean },
  ): Promise<T>;
  /** Where a destructive command asks for confirmation, when it and stdout are a terminal. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** Normal output (what a script may parse). */
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  /** Diagnostics. */
  readonly stderr: NodeJS.WritableStream;
}

/**
 * One command (or group of subcommands) of the `protean` CLI. Adding a command is writing one
 * of these and passing it in `CliOptions.commands`. Keep `register` light (no Nest, no
 * adapters): import what an action needs inside the action, so `--help` stays fast.
 */
export interface CliCommand {
  register(program: Command, context: CliContext): void;
}
