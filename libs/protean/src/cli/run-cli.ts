import { CommanderError } from 'commander';
import { BrokerRefusedError } from '../brokers/errors/broker-refused.error.js';
import { ProteanError } from '../errors/protean.error.js';
import { EXIT_UNAVAILABLE } from '../lifecycle/await-startup-dependencies.js';
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
  let code = 0;
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode;
    else if (error instanceof ProteanError) {
      stderr.write(`error: ${error.message}\n`);
      // A broker refusing its URI (password, certificate, database index) cannot be used at all.
      code = error instanceof BrokerRefusedError ? EXIT_UNAVAILABLE : 1;
    } else {
      stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      code = 1;
    }
  }
  process.exitCode = code;
  return code;
}
