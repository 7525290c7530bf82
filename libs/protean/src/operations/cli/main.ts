import { readFileSync } from 'node:fs';
import { runCli } from './run-cli.js';

/** This package's version, for `--version` (read from its package.json, no module loaded). */
function packageVersion(): string {
  const manifest = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/**
 * The `protean` command of any project: finds the project's module and domain (`--module`, the
 * `protean` field of package.json; see `locateProject`) and runs the command. `--help` and
 * `--version` load neither Nest nor the project.
 */
export function main(argv: readonly string[] = process.argv): Promise<number> {
  return runCli({ version: packageVersion() }, argv);
}
