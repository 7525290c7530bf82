import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Acceptance 1 (its sync half): a project outside this repository installs the packed tarball
 * and its peers from the registry, compiles a small Nest app that uses it with `tsc`, and runs
 * it. The app's own TypeORM and the async half (PostgreSQL + Redis, `npx protean server`)
 * follow once the application-DataSource work lands.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const INSTALL_TIMEOUT_MS = 240_000;

const PEERS = [
  '@nestjs/common@^12.5.1',
  '@nestjs/core@^12.5.1',
  '@nestjs/microservices@^12.1.1',
  '@nestjs/config@^12.0.1',
  '@nestjs/terminus@^12.1.0',
  'reflect-metadata@^0.2.2',
  'rxjs@^7.8.2',
  'class-validator@^0.15.1',
  'class-transformer@^0.5.1',
];

const APP = `import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsString, IsUUID } from 'class-validator';
import {
  Aggregate, AggregateRoot, AggregateRepository, CommandBus, CommandHandler, DomainCommand,
  DomainEvent, getProjectionRepositoryToken, InjectAggregateRepository,
  InjectProjectionRepository, On, Projection, ProjectionRepository, Projector, ProteanModule,
  type ICommandHandler,
} from 'nestjs-protean';

@DomainEvent({ category: 'note' })
export class NoteWritten {
  readonly noteId!: string;
  readonly text!: string;
  constructor(props: NoteWritten) { Object.assign(this, props); }
}

@Aggregate({ category: 'note' })
export class Note extends AggregateRoot {
  text!: string;
  static write(id: string, text: string): Note {
    const note = Object.assign(new Note(), { id, text });
    note.raise(new NoteWritten({ noteId: id, text }));
    return note;
  }
}

@DomainCommand({ category: 'note', identifiedBy: 'noteId' })
export class WriteNote {
  @IsUUID() readonly noteId!: string;
  @IsString() readonly text!: string;
}

@CommandHandler(WriteNote)
export class WriteNoteHandler implements ICommandHandler<WriteNote> {
  constructor(@InjectAggregateRepository(Note) private readonly notes: AggregateRepository<Note>) {}
  async execute(command: WriteNote) { this.notes.add(Note.write(command.noteId, command.text)); }
}

@Projection({ name: 'note_index' })
export class NoteIndexEntry { id!: string; text!: string; }

@Projector()
export class NoteIndexProjector {
  constructor(
    @InjectProjectionRepository(NoteIndexEntry)
    private readonly index: ProjectionRepository<NoteIndexEntry>,
  ) {}
  @On(NoteWritten)
  async onWritten(event: NoteWritten) { await this.index.save({ id: event.noteId, text: event.text }); }
}

@Module({
  imports: [ProteanModule.forFeature({ aggregates: [Note], projections: [NoteIndexEntry] })],
  providers: [WriteNoteHandler, NoteIndexProjector],
})
export class NotesModule {}

@Module({ imports: [ProteanModule.forRoot({ domain: 'notes' }), NotesModule] })
class AppModule {}

const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
const noteId = randomUUID();
await app.get(CommandBus).process(Object.assign(new WriteNote(), { noteId, text: 'hello' }));
const index = app.get<ProjectionRepository<NoteIndexEntry>>(
  getProjectionRepositoryToken(NoteIndexEntry),
);
const deadline = Date.now() + 5000;
let entry = await index.find(noteId);
while (!entry && Date.now() < deadline) {
  await new Promise((next) => setTimeout(next, 20));
  entry = await index.find(noteId);
}
console.log(JSON.stringify({ projected: entry ?? null }));
await app.close();
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2023',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    useDefineForClassFields: false,
    skipLibCheck: true,
    outDir: 'dist',
    rootDir: 'src',
    types: ['node'],
  },
  include: ['src'],
};

describe('nestjs-protean in a fresh project, installed from its tarball', () => {
  let project: string;
  beforeAll(() => (project = mkdtempSync(join(tmpdir(), 'protean-consumer-'))));
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  const run = (command: string, args: string[], timeout = 60_000) =>
    execFileSync(command, args, {
      cwd: project,
      encoding: 'utf8',
      timeout,
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it(
    'compiles a small app against it with tsc and runs it, sync, in one process',
    () => {
      const packed = execFileSync(
        'npm',
        ['pack', '-w', 'libs/protean', '--json', '--pack-destination', project],
        { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: 'notes-app', private: true, type: 'module' }),
      );
      writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
      mkdirSync(join(project, 'src'));
      writeFileSync(join(project, 'src/main.ts'), APP);

      run(
        'npm',
        [
          'install',
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
          `./${filename}`,
          ...PEERS,
          'typescript@~6.0.3',
          '@types/node@^22',
        ],
        INSTALL_TIMEOUT_MS,
      );
      run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
      const output = run(process.execPath, ['dist/main.js']);
      const last = output.trim().split('\n').pop()!;
      expect(JSON.parse(last)).toEqual({
        projected: { id: expect.any(String), text: 'hello' },
      });
    },
    INSTALL_TIMEOUT_MS + 60_000,
  );
});
