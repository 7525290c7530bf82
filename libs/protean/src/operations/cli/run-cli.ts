import { CommanderError, type Command } from 'commander';
import { BrokerRefusedError } from '../../ports/broker/broker-refused.error.js';
import { ProteanError } from '../../core/errors/protean.error.js';
import { stackOf } from '../../core/errors/error-message.js';
import { EXIT_UNAVAILABLE } from '../../core/exit-codes.js';
import { hasColours } from '../observability/logging/colours.js';
import { createCli, type CliOptions } from './create-cli.js';
import { USAGE_EXIT_CODE } from './options/usage-error.js';

/**
 * Runs the `protean` CLI on `argv` and sets the exit code: 0 on success, 1 with one
 * line on stderr for an error Protean names (database down, schema missing, …), 2 for a usage
 * error (unknown option, a value out of range, a missing `--yes`), 78 for an invalid
 * configuration. Unexpected errors keep their stack.
 */
export async function runCli(
  options: CliOptions,
  argv: readonly string[] = process.argv,
): Promise<number> {
  const stderr = options.stderr ?? process.stderr;
  const program = throwingOnExit(createCli(options));
  const coloured =
    Boolean((stderr as { isTTY?: boolean }).isTTY) && hasColours(stderr, options.env);
  const label = coloured ? '\x1b[31merror:\x1b[39m' : 'error:';
  let code = 0;
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    // Commander ends every usage error with 1; a code chosen on purpose (0 for help) stays.
    if (error instanceof CommanderError)
      code = error.exitCode === 1 ? USAGE_EXIT_CODE : error.exitCode;
    else if (error instanceof ProteanError) {
      stderr.write(`${label} ${error.message}\n`);
      // A broker refusing its URI (password, certificate, database index) cannot be used at all.
      code = error instanceof BrokerRefusedError ? EXIT_UNAVAILABLE : 1;
    } else {
      stderr.write(`${stackOf(error)}\n`);
      code = 1;
    }
  }
  process.exitCode = code;
  return code;
}

/**
 * Makes Commander throw instead of calling `process.exit`, on every command: subcommands
 * registered before the override do not inherit it, and would exit on their own with 1.
 */
function throwingOnExit(command: Command): Command {
  command.exitOverride();
  for (const sub of command.commands) throwingOnExit(sub);
  return command;
}
