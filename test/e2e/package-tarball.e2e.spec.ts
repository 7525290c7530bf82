import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** `npm pack -w libs/protean`, as a release would: the tarball's path and its file list. */
function pack(destination: string): { tarball: string; files: string[] } {
  const output = execFileSync(
    'npm',
    ['pack', '-w', 'libs/protean', '--json', '--pack-destination', destination],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const [{ filename }] = JSON.parse(output) as [{ filename: string }];
  const tarball = join(destination, filename);
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((entry) => entry.replace(/^package\//, ''));
  return { tarball, files };
}

describe('the nestjs-protean tarball', () => {
  let destination: string;
  beforeAll(() => (destination = mkdtempSync(join(tmpdir(), 'protean-pack-'))));
  afterAll(() => rmSync(destination, { recursive: true, force: true }));

  it('holds the build, the README, the LICENSE and package.json — no tests, bench, fixtures or maps', () => {
    const { files } = pack(destination);
    const outside = files.filter(
      (file) =>
        !file.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(file),
    );
    expect(outside).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/testing.js',
        'dist/testing.d.ts',
        'dist/operations/cli/bin.js',
        'dist/operations/observability/observatory/assets/observatory.html',
        'dist/operations/observability/observatory/assets/observatory.js',
      ]),
    );
    const unwanted = files.filter((file) =>
      /\.spec\.|\.map$|tsbuildinfo|\/fixtures\/|\/bench\/|^test\//.test(file),
    );
    expect(unwanted).toEqual([]);
  });
});
