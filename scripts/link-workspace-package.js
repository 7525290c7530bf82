// Makes the compiled apps, bench and test processes in dist/ resolve `nestjs-protean` to this
// checkout's libs/protean, whatever node_modules holds: npm links the workspace into
// node_modules, but a node_modules shared between several checkouts (git worktrees) links only
// one of them. Node looks in dist/node_modules first for anything under dist/.
import { mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const link = resolve(root, 'dist/node_modules/nestjs-protean');
const target = '../../libs/protean';
let current;
try {
  current = readlinkSync(link);
} catch {
  current = undefined;
}
if (current !== target) {
  mkdirSync(dirname(link), { recursive: true });
  rmSync(link, { force: true, recursive: true });
  symlinkSync(target, link, 'dir');
}
