/**
 * The small Nest application of issue 13's acceptance 1, as a team outside this repository
 * writes it against the installed `nestjs-protean` — the README's "Using it in your own Nest
 * application" walks the same files. Kept as text: it compiles only in the consumer project,
 * against the packages installed there.
 */

/** The domain: the app's TypeORM entity, the aggregate, its command, handlers and projector. */
export const NOTES_MODULE = `import { Module } from '@nestjs/common';
import { IsString, IsUUID } from 'class-validator';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import {
  Aggregate,
  AggregateRoot,
  CommandHandler,
  DomainCommand,
  DomainEvent,
  EventHandler,
  InjectAggregateRepository,
  InjectProjectionRepository,
  On,
  Projection,
  Projector,
  ProteanModule,
  TransactionalEntityManager,
  type AggregateRepository,
  type ICommandHandler,
  type IEventHandler,
  type ProjectionRepository,
} from 'nestjs-protean';

/** The application's own table, written with its own TypeORM repository. */
@Entity({ name: 'notes' })
export class NoteRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') text!: string;
}

@DomainEvent({ category: 'note' })
export class NoteWritten {
  readonly noteId!: string;
  readonly text!: string;
  constructor(props: NoteWritten) {
    Object.assign(this, props);
  }
}

@Aggregate({ category: 'note' })
export class Note extends AggregateRoot {
  text!: string;
  sealed = false;
  static write(id: string, text: string): Note {
    const note = Object.assign(new Note(), { id, text });
    note.raise(new NoteWritten({ noteId: id, text }));
    return note;
  }
  seal(): void {
    this.sealed = true;
  }
}

@DomainCommand({ category: 'note', identifiedBy: 'noteId' })
export class WriteNote {
  @IsUUID() readonly noteId!: string;
  @IsString() readonly text!: string;
}

@CommandHandler(WriteNote)
export class WriteNoteHandler implements ICommandHandler<WriteNote> {
  constructor(
    private readonly transaction: TransactionalEntityManager,
    @InjectAggregateRepository(Note) private readonly notes: AggregateRepository<Note>,
  ) {}

  async execute(command: WriteNote): Promise<void> {
    // The app's repository, on the unit of work's transaction: the row commits with the
    // aggregate and the outbox row of NoteWritten, or none of them does.
    await this.transaction.getRepository(NoteRecord).save({ id: command.noteId, text: command.text });
    this.notes.add(Note.write(command.noteId, command.text));
    if (command.text.includes('forbidden')) throw new Error('forbidden words: note refused');
  }
}

@EventHandler(NoteWritten)
export class SealNoteHandler implements IEventHandler<NoteWritten> {
  constructor(@InjectAggregateRepository(Note) private readonly notes: AggregateRepository<Note>) {}

  async handle(event: NoteWritten): Promise<void> {
    (await this.notes.get(event.noteId)).seal();
  }
}

@Projection({ name: 'note_index' })
export class NoteIndexEntry {
  id!: string;
  text!: string;
}

@Projector()
export class NoteIndexProjector {
  constructor(
    @InjectProjectionRepository(NoteIndexEntry)
    private readonly index: ProjectionRepository<NoteIndexEntry>,
  ) {}

  @On(NoteWritten)
  async onWritten(event: NoteWritten): Promise<void> {
    await this.index.save({ id: event.noteId, text: event.text });
  }
}

/** The domain module: what \`npx protean server\` loads (package.json "protean".module). */
@Module({
  imports: [ProteanModule.forFeature({ aggregates: [Note], projections: [NoteIndexEntry] })],
  providers: [WriteNoteHandler, SealNoteHandler, NoteIndexProjector],
})
export class NotesModule {}
`;

/** The application: its TypeORM DataSource and configuration handed to ProteanModule. */
export const APP_MODULE = `import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ProteanModule, proteanConfiguration, type ProteanConfig } from 'nestjs-protean';
import { NoteRecord, NotesModule } from './notes.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, load: [proteanConfiguration()] }),
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      entities: [NoteRecord],
      synchronize: true, // the app's own table; Protean's come from \`npx protean db setup\`
    }),
    ProteanModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService, getDataSourceToken()],
      useFactory: (config: ConfigService, dataSource: DataSource) => ({
        domain: 'notes',
        config: config.getOrThrow<ProteanConfig>('protean'),
        dataSource,
      }),
    }),
    NotesModule,
  ],
})
export class AppModule {}
`;

/** The producer: processes one WriteNote (argv: id, text) and exits. */
export const MAIN = `import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from 'nestjs-protean';
import { AppModule } from './app.module.js';
import { WriteNote } from './notes.module.js';

const [noteId, text] = process.argv.slice(2);
const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
try {
  await app.get(CommandBus).process(Object.assign(new WriteNote(), { noteId, text }));
  console.log(JSON.stringify({ written: noteId }));
} catch (error) {
  console.log(JSON.stringify({ refused: (error as Error).message }));
} finally {
  await app.close();
}
`;

/** Production: events through the outbox and Redis Streams to \`npx protean server\`. */
export const DOMAIN_TOML = `event_processing = "async"
enable_outbox = true

[databases.default]
provider = "postgresql"
database_uri = "\${DATABASE_URL}"   # for the CLI; the app hands ProteanModule its DataSource
table_prefix = "protean_"

[brokers.default]
provider = "redis"
URI = "\${REDIS_URL}"

[server]
default_subscription_type = "stream"
`;

/** Development: everything in one process, on the same tables. */
export const SYNC_TOML = `[databases.default]
provider = "postgresql"
table_prefix = "protean_"
`;

export const PACKAGE_JSON = {
  name: 'notes-app',
  private: true,
  type: 'module',
  protean: { module: './dist/notes.module.js#NotesModule', domain: 'notes' },
};

export const TSCONFIG = {
  compilerOptions: {
    target: 'ES2023',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    useDefineForClassFields: false,
    skipLibCheck: false, // the published declarations must compile too
    outDir: 'dist',
    rootDir: 'src',
    types: ['node'],
  },
  include: ['src'],
};
