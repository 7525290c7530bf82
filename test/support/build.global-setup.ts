import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * End-to-end tests run the compiled apps, as users do: build once before them, with the
 * test-only processes of `test/support/bin` (which tests spawn and kill).
 */
export default function buildOnce(): void {
  const root = resolve(import.meta.dirname, '../..');
  for (const project of ['tsconfig.build.json', 'test/support/bin/tsconfig.bin.json']) {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], {
      cwd: root,
      stdio: 'inherit',
    });
  }
}
