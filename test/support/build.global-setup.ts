import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * End-to-end tests run the compiled apps and the package's `protean` bin, as users do: build
 * once before them (`npm run build`: the package into libs/protean/dist, the apps into dist),
 * with the test-only processes of `test/support/bin` and the `@nestjs/cqrs` sample of
 * `test/cqrs-sample` (which tests spawn and kill).
 */
export default function buildOnce(): void {
  // Several Jest projects (e2e, faults) name this setup; one build serves them all.
  if (process.env.BOOKSHELF_TEST_DIST_BUILT) return;
  process.env.BOOKSHELF_TEST_DIST_BUILT = '1';
  const root = resolve(import.meta.dirname, '../..');
  const node = (...args: string[]) =>
    execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  node(
    'node_modules/typescript/bin/tsc',
    '-b',
    'tsconfig.build.json',
    'test/support/bin/tsconfig.bin.json',
    'test/cqrs-sample/tsconfig.json',
  );
  node('libs/protean/scripts/copy-assets.js');
  node('scripts/link-workspace-package.js');
}
