import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  APP_MODULE,
  DOMAIN_TOML,
  MAIN,
  NOTES_MODULE,
  PACKAGE_JSON,
  SYNC_TOML,
  TSCONFIG,
} from '../support/consumer-app.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { freePort, NodeProcess, ROOT, PROCESS_POLL } from '../support/processes.js';
import { SpawnedRedis } from '../support/spawned-redis.js';
import { eventually } from 'nestjs-protean/testing';

/**
 * Issue 13, acceptance 1: a project outside this repository installs the packed tarball and
 * its peers from the registry, compiles a small Nest app that uses it — its own TypeORM
 * entity and DataSource, a command, a command handler, an event handler, a projector — with
 * `tsc`, and runs it: sync in one process; then async on PostgreSQL + Redis with
 * `npx protean db setup`, the app as producer and `npx protean server` as the worker.
 */
const MINUTE = 60_000;
const run = promisify(execFile);

const PACKAGES = [
  '@nestjs/common@^12.5.1',
  '@nestjs/core@^12.5.1',
  '@nestjs/microservices@^12.1.1',
  '@nestjs/config@^12.0.1',
  '@nestjs/terminus@^12.1.0',
  '@nestjs/typeorm@^12.0.2',
  'reflect-metadata@^0.2.2',
  'rxjs@^7.8.2',
  'class-validator@^0.15.1',
  'class-transformer@^0.5.1',
  'typeorm@^1.1.1',
  'pg@^8.23.1',
  'ioredis@^5.11.1',
  'typescript@~6.0.3',
  '@types/node@^22',
];

describe('nestjs-protean in a fresh project, installed from its tarball', () => {
  let project: string;
  let database: TestDatabase;
  let redis: SpawnedRedis;
  let worker: NodeProcess | undefined;
  let env: NodeJS.ProcessEnv;

  /** Runs a command in the project, with its database and Redis. */
  const inProject = async (command: string, args: string[], extra: NodeJS.ProcessEnv = {}) =>
    (await run(command, args, { cwd: project, env: { ...env, ...extra }, timeout: 2 * MINUTE }))
      .stdout;
  /** The producer: processes one WriteNote and exits, printing what happened. */
  const writeNote = async (noteId: string, text: string, extra: NodeJS.ProcessEnv = {}) => {
    const output = await inProject(process.execPath, ['dist/main.js', noteId, text], extra);
    return JSON.parse(output.trim().split('\n').pop()!) as { written?: string; refused?: string };
  };
  const projected = async (noteId: string) =>
    (
      await database.query<{ document: unknown }>(
        `SELECT document FROM protean_projections WHERE name = 'note_index' AND id = $1`,
        [noteId],
      )
    )[0]?.document;
  const sealed = async (noteId: string) =>
    (
      await database.query<{ sealed: boolean }>(
        `SELECT (state->>'sealed')::boolean AS sealed FROM protean_aggregates WHERE id = $1`,
        [noteId],
      )
    )[0]?.sealed;
  const rows = async (table: string, where: string, noteId: string) =>
    (await database.query(`SELECT 1 FROM ${table} WHERE ${where}`, [noteId])).length;

  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), 'protean-consumer-'));
    [database, redis] = await Promise.all([
      createTestDatabase('protean_consumer'),
      SpawnedRedis.start(),
    ]);
    env = { ...process.env, DATABASE_URL: database.uri, REDIS_URL: redis.uri };
    const packed = await run(
      'npm',
      ['pack', '-w', 'libs/protean', '--json', '--pack-destination', project],
      { cwd: ROOT },
    );
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    writeFileSync(join(project, 'package.json'), JSON.stringify(PACKAGE_JSON, null, 2));
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    writeFileSync(join(project, 'domain.toml'), DOMAIN_TOML);
    writeFileSync(join(project, 'sync.toml'), SYNC_TOML);
    mkdirSync(join(project, 'src'));
    writeFileSync(join(project, 'src/notes.module.ts'), NOTES_MODULE);
    writeFileSync(join(project, 'src/app.module.ts'), APP_MODULE);
    writeFileSync(join(project, 'src/main.ts'), MAIN);
    await run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', `./${filename}`, ...PACKAGES],
      { cwd: project, timeout: 3 * MINUTE },
    );
    await inProject(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
    const setup = await inProject('npx', ['protean', 'db', 'setup']);
    expect(setup).toMatch(/applied/);
  }, 4 * MINUTE);

  afterAll(async () => {
    await worker?.stop('SIGTERM', 15_000);
    await Promise.allSettled([redis?.destroy(), database?.drop()]);
    rmSync(project, { recursive: true, force: true });
  });

  it('runs sync in one process: the entity, the aggregate, its event handler and projector', async () => {
    const noteId = randomUUID();
    expect(await writeNote(noteId, 'hello', { PROTEAN_CONFIG: 'sync.toml' })).toEqual({
      written: noteId,
    });
    expect(await rows('notes', 'id = $1', noteId)).toBe(1);
    expect(await projected(noteId)).toEqual({ id: noteId, text: 'hello' });
    expect(await sealed(noteId)).toBe(true);
  });

  it(
    'runs async: the app produces through the outbox, `npx protean server` handles and projects',
    async () => {
      worker = new NodeProcess(
        'protean',
        ['server'],
        { ...env, PROTEAN_SERVER__HEALTH__PORT: String(await freePort()) },
        { cwd: project, command: 'npx' },
      );
      const noteId = randomUUID();
      expect(await writeNote(noteId, 'async hello')).toEqual({ written: noteId });
      expect(await rows('notes', 'id = $1', noteId)).toBe(1);

      const what = `note ${noteId} projected and sealed by the worker`;
      await worker.whileRunning(
        eventually(async () => (await projected(noteId)) !== undefined && (await sealed(noteId)), {
          ...PROCESS_POLL,
          timeoutMs: MINUTE,
          what,
        }),
        'the worker',
      );
      expect(await projected(noteId)).toEqual({ id: noteId, text: 'async hello' });
      const outbox = await database.query<{ status: string }>(
        `SELECT status FROM protean_outbox WHERE data::jsonb->>'noteId' = $1`,
        [noteId],
      );
      expect(outbox).toEqual([{ status: 'published' }]);
    },
    2 * MINUTE,
  );

  it('shares the transaction: a handler that throws after saving leaves no entity, no outbox row', async () => {
    const noteId = randomUUID();
    expect(await writeNote(noteId, 'forbidden words')).toEqual({
      refused: 'forbidden words: note refused',
    });
    expect(await rows('notes', 'id = $1', noteId)).toBe(0);
    expect(await rows('protean_aggregates', 'id = $1', noteId)).toBe(0);
    expect(await rows('protean_outbox', `data::jsonb->>'noteId' = $1`, noteId)).toBe(0);
  });
});
