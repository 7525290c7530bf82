import type { Command } from 'commander';

/** The exit code of a usage error: the command line itself was wrong. */
export const USAGE_EXIT_CODE = 2;

/** Ends `command` as a usage error: the message on stderr (with its help), exit 2. */
export function usageError(command: Command, message: string): never {
  command.error(`error: ${message}`, { exitCode: USAGE_EXIT_CODE, code: 'protean.usage' });
  throw new Error('unreachable: Command.error returned'); // for the type checker
}
