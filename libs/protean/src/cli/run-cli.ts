import { CommanderError } from 'commander';
import { ProteanError } from '../errors/protean.error.js';
import { hasColours } from '../observability/logging/colours.js';
import { createCli, type CliOptions } from './create-cli.js';

/**
 * Runs the `protean` CLI on `argv` and sets the exit code: 0 on success, 1 with one line on
 * stderr for an error Protean names (database down, schema missing, …), 78 for an invalid
 * configuration, Commander's own codes for usage errors. Unexpected errors keep their stack.
 */
export async function runCli(
  options: CliOptions,
  argv: readonly string[] = process.argv,
): Promise<number> {
  const stderr = options.stderr ?? process.stderr;
  const program = createCli(options).exitOverride();
  const coloured =
    Boolean((stderr as { isTTY?: boolean }).isTTY) && hasColours(stderr, options.env);
  const label = coloured ? '\x1b[31merror:\x1b[39m' : 'error:';
  let code = 0;
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode;
    else if (error instanceof ProteanError) {
      stderr.write(`${label} ${error.message}\n`);
      code = 1;
    } else {
      stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      code = 1;
    }
  }
  process.exitCode = code;
  return code;
}
