import { stackOf } from 'nestjs-protean/internal/core/errors/error-message.js';

/**
 * Runs a benchmark child process's `main`: exit 0 when it resolves (whatever handles a
 * contender leaves open), 1 with the stack on stderr when it fails.
 */
export function runProcess(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${stackOf(error)}\n`);
      process.exit(1);
    },
  );
}
