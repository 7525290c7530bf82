import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

/** Runs the floors rule (`npm run lint:floors`) over a library tree written to a scratch folder. */
async function cruise(files: Record<string, string>): Promise<{ code: number; output: string }> {
  const root = await mkdtemp(join(tmpdir(), 'floors-'));
  try {
    await writeFile(
      join(root, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext' } }),
    );
    for (const [path, text] of Object.entries(files)) {
      const file = join(root, 'libs/protean/src', path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
    }
    const args = ['libs/protean/src', '--config', CONFIG, '--output-type', 'err'];
    try {
      const { stdout, stderr } = await run(DEPCRUISE, args, { cwd: root });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, output: failed.stdout + failed.stderr };
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

describe('the floors rule (npm run lint:floors)', () => {
  it('passes imports that point down', async () => {
    const result = await cruise({
      'core/errors/protean.error.ts': 'export class ProteanError extends Error {}\n',
      'runtime/engine.ts':
        "import { ProteanError } from '../core/errors/protean.error.js';\nexport const e = ProteanError;\n",
      'index.ts': "export * from './runtime/engine.js';\n",
    });
    expect(result).toEqual({
      code: 0,
      output: expect.stringContaining('no dependency violations'),
    });
  });

  it.each([
    ['core', 'runtime', 'core-imports-down-only'],
    ['ports', 'model', 'ports-imports-down-only'],
    ['model', 'application', 'model-imports-down-only'],
    ['application', 'adapters', 'application-imports-down-only'],
    ['adapters', 'runtime', 'adapters-imports-down-only'],
    ['runtime', 'operations', 'runtime-imports-down-only'],
  ])('fails when %s imports %s, naming the rule', async (from, to, rule) => {
    const result = await cruise({
      [`${to}/upstairs.ts`]: 'export const upstairs = 1;\n',
      [`${from}/downstairs.ts`]: `import { upstairs } from '../${to}/upstairs.js';\nexport const d = upstairs;\n`,
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`${rule}: libs/protean/src/${from}/downstairs.ts`);
  });

  it('fails when anything but nestjs-protean/cqrs imports the @nestjs/cqrs bridge', async () => {
    const result = await cruise({
      'adapters/cqrs/bridge.ts': 'export const bridge = 1;\n',
      'cqrs.ts': "export * from './adapters/cqrs/bridge.js';\n",
      'index.ts': "export * from './adapters/cqrs/bridge.js';\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('cqrs-bridge-apart: libs/protean/src/index.ts');
    expect(result.output).not.toContain('cqrs-bridge-apart: libs/protean/src/cqrs.ts');
  });

  it('fails when a floor imports an entry point, or one adapter technology another', async () => {
    const result = await cruise({
      'index.ts': 'export const api = 1;\n',
      'adapters/redis/broker.ts':
        "import { api } from '../../index.js';\nimport { pg } from '../postgresql/pool.js';\nexport const b = api + pg;\n",
      'adapters/postgresql/pool.ts': 'export const pg = 1;\n',
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      'no-entry-point-imports: libs/protean/src/adapters/redis/broker.ts',
    );
    expect(result.output).toContain('adapters-apart: libs/protean/src/adapters/redis/broker.ts');
  });

  it('holds on the library as it is', async () => {
    const { stdout } = await run(
      DEPCRUISE,
      ['libs/protean/src', '--config', CONFIG, '--output-type', 'err'],
      {
        cwd: ROOT,
      },
    );
    expect(stdout).toContain('no dependency violations');
  });
});
