// Makes the compiled apps, bench and test processes in dist/ resolve `nestjs-protean` to this
// checkout's libs/protean, whatever node_modules holds: npm links the workspace into
// node_modules, but a node_modules shared between several checkouts (git worktrees) links only
// one of them. Node looks in dist/node_modules first for anything under dist/.
import { chmodSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
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

// npm links a workspace's bin only when the file exists at install time, and `npm ci` runs
// before the first build: link `protean` once it is built, so `npx protean` works here too.
const bin = resolve(root, 'node_modules/.bin/protean');
try {
  chmodSync(resolve(root, 'libs/protean/dist/operations/cli/bin.js'), 0o755);
  try {
    readlinkSync(bin);
  } catch {
    mkdirSync(dirname(bin), { recursive: true });
    symlinkSync('../../libs/protean/dist/operations/cli/bin.js', bin);
  }
} catch (error) {
  console.warn(`(npx protean not linked: ${error.message}; npm run protean works)`);
}
