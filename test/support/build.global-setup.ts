import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * End-to-end tests run the compiled apps, as users do: build once before them, with the
 * test-only processes of `test/support/bin` (which tests spawn and kill).
 */
export default function buildOnce(): void {
  // Several Jest projects (e2e, faults) name this setup; one build serves them all.
  if (process.env.PROTEAN_TEST_BUILT) return;
  process.env.PROTEAN_TEST_BUILT = '1';
  const root = resolve(import.meta.dirname, '../..');
  for (const project of ['tsconfig.build.json', 'test/support/bin/tsconfig.bin.json']) {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], {
      cwd: root,
      stdio: 'inherit',
    });
  }
  // Files the apps read at run time, as `npm run build` copies them.
  const assets = 'libs/protean/src/observability/observatory/assets';
  cpSync(resolve(root, assets), resolve(root, 'dist', assets), { recursive: true });
}
