import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
        'dist/cqrs.js',
        'dist/cqrs.d.ts',
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

  it('loads every entry point but /cqrs without @nestjs/cqrs; nestjs-protean/cqrs resolves with it', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'libs/protean/package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    expect(manifest.exports['./cqrs']).toEqual({
      types: './dist/cqrs.d.ts',
      default: './dist/cqrs.js',
    });
    expect(manifest.peerDependenciesMeta['@nestjs/cqrs']).toEqual({ optional: true });
    // A resolve hook that refuses @nestjs/cqrs stands for an application that has not installed it.
    const refuse = `export async function resolve(specifier, context, next) {
      if (specifier === '@nestjs/cqrs' || specifier.startsWith('@nestjs/cqrs/'))
        throw new Error('@nestjs/cqrs was loaded');
      return next(specifier, context);
    }`;
    const script = `
      import { register } from 'node:module';
      await import('reflect-metadata');
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(refuse)}));
      for (const entry of ['', '/server', '/observability', '/cli', '/testing'])
        await import('nestjs-protean' + entry);
      console.log('without cqrs: ok');`;
    const run = (code: string) =>
      execFileSync(process.execPath, ['--input-type=module', '-e', code], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    expect(run(script)).toContain('without cqrs: ok');
    const cqrs = run(
      `await import('reflect-metadata'); const m = await import('nestjs-protean/cqrs');` +
        ` console.log(typeof m.ProteanCqrsModule.forRoot, typeof m.ProteanCommandHandler);`,
    );
    expect(cqrs.trim()).toBe('function function');
  });
});
