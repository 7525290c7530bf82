import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateProject } from './locate-project.js';
import { ProjectModuleInvalidError } from './project-module-invalid.error.js';

describe('locateProject: where the protean CLI finds the module and the domain', () => {
  let root: string;
  const write = (path: string, content: unknown) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(
      join(root, path),
      typeof content === 'string' ? content : JSON.stringify(content),
    );
  };

  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'protean-locate-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads the "protean" field of the package.json in the working directory', () => {
    write('package.json', {
      protean: { module: './dist/app.module.js#AppModule', domain: 'shop' },
    });
    expect(locateProject({ cwd: root, env: {} })).toEqual({
      module: {
        file: join(root, 'dist/app.module.js'),
        exportName: 'AppModule',
        written: './dist/app.module.js#AppModule',
        source: `${join(root, 'package.json')} "protean".module`,
      },
      domain: 'shop',
      domainSource: `${join(root, 'package.json')} "protean".domain`,
    });
  });

  it('walks up to the nearest package.json that has the field', () => {
    write('package.json', { protean: { module: 'dist/domain.js', domain: 'shop' } });
    write('apps/api/package.json', { name: 'api' });
    const found = locateProject({ cwd: join(root, 'apps/api'), env: {} });
    expect(found.module?.file).toBe(join(root, 'dist/domain.js'));
    expect(found.module?.exportName).toBeUndefined();
    expect(found.domain).toBe('shop');
  });

  it('prefers --module (relative to the working directory), keeping the declared domain', () => {
    write('package.json', { protean: { module: 'dist/domain.js', domain: 'shop' } });
    const found = locateProject({ module: 'build/other.js#Other', cwd: root, env: {} });
    expect(found.module).toMatchObject({
      file: join(root, 'build/other.js'),
      exportName: 'Other',
      source: '--module',
    });
    expect(found.domain).toBe('shop');
  });

  it('prefers the package.json beside the domain.toml that PROTEAN_CONFIG names', () => {
    write('package.json', { protean: { module: 'dist/root.js', domain: 'root' } });
    write('apps/billing/domain.toml', '');
    write('apps/billing/package.json', {
      protean: { module: 'dist/billing.js', domain: 'billing' },
    });
    const found = locateProject({ cwd: root, env: { PROTEAN_CONFIG: 'apps/billing/domain.toml' } });
    expect(found.module?.file).toBe(join(root, 'apps/billing/dist/billing.js'));
    expect(found.domain).toBe('billing');
  });

  it('finds nothing where nothing is declared', () => {
    write('package.json', { name: 'plain' });
    expect(locateProject({ cwd: root, env: {} })).toEqual({});
  });

  it('refuses a malformed field, naming the key', () => {
    write('package.json', { protean: { module: 42 } });
    expect(() => locateProject({ cwd: root, env: {} })).toThrow(ProjectModuleInvalidError);
    expect(() => locateProject({ cwd: root, env: {} })).toThrow(
      /"protean"\.module\) is not a non-empty string/,
    );
  });
});
