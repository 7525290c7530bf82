import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** End-to-end tests run the compiled apps, as users do: build once before them. */
export default function buildOnce(): void {
  const root = resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
