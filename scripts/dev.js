// `npm run start:dev`: the API with the engine embedded, rebuilt and restarted on every change.
// `tsc -b --watch` compiles incrementally into dist (never deleting it under the running
// process); `node --watch` restarts the API when a compiled file it loaded changes.
import { spawn } from 'node:child_process';

const children = [
  spawn(
    process.execPath,
    [
      'node_modules/typescript/bin/tsc',
      '-b',
      'tsconfig.build.json',
      '--watch',
      '--preserveWatchOutput',
    ],
    { stdio: 'inherit' },
  ),
  spawn(process.execPath, ['--watch', 'dist/apps/bookshelf-api/src/main.js', '--embedded'], {
    stdio: 'inherit',
    env: { NODE_ENV: 'development', ...process.env },
  }),
];
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) child.on('exit', stop);
