import { createHash } from 'node:crypto';
import { AlreadyProcessedError } from '../../core/errors/already-processed.error.js';
import { ConcurrencyError } from '../../core/errors/concurrency.error.js';
import type {
  Database,
  DatabaseSession,
  ProjectionDocument,
  ProjectionQuery,
  StoredAggregate,
  TransactionOptions,
} from '../../ports/database/database.port.js';
import { JoinedTransactionError } from '../../ports/database/joined-transaction.error.js';

type Table<V> = Map<string, V>;

/** Committed data: copied on every read and write so callers never share references. */
class MemoryTables {
  constructor(processedKept: number) {
    this.processed = new ProcessedRecords(processedKept);
  }

  readonly aggregates = new Map<string, Table<StoredAggregate>>();
  readonly projections = new Map<string, Table<ProjectionDocument>>();
  /** The last `processedKept` messages handlers processed. */
  readonly processed: ProcessedRecords;

  table<V>(tables: Map<string, Table<V>>, name: string): Table<V> {
    let table = tables.get(name);
    if (!table) tables.set(name, (table = new Map<string, V>()));
    return table;
  }
}

const DELETED = Symbol('deleted');

/**
 * Processed-message records a memory database keeps (≈ 10 MB): the exactly-once record of a
 * message older than the last 100,000 handled is forgotten, so its redelivery would run again.
 * A redelivery comes within a reclaim's `min_idle_ms` or a retry's backoff, and the memory
 * database forgets everything at a restart anyway; the `postgresql` database keeps every record.
 */
export const PROCESSED_RECORDS_KEPT = 100_000;

/**
 * The processed-message records: per handler, the ids of its last messages, `limit` in all.
 * Each addition past the limit forgets the oldest record, in constant time (a ring of the
 * records in addition order beside the sets). Ids are kept as the envelope gave them, one set
 * per handler: a lookup hashes the id string once (V8 caches a string's hash), where a
 * `handler␀id` key would be a new string to build and hash at every look.
 */
class ProcessedRecords {
  private readonly byHandler = new Map<string, Set<string>>();
  private readonly ringSets: Array<Set<string>> = [];
  private readonly ringIds: string[] = [];
  private oldest = 0;

  constructor(private readonly limit: number) {}

  has(handler: string, messageId: string): boolean {
    return this.byHandler.get(handler)?.has(messageId) ?? false;
  }

  add(handler: string, messageId: string): void {
    let ids = this.byHandler.get(handler);
    if (!ids) this.byHandler.set(handler, (ids = new Set()));
    if (ids.has(messageId) || this.limit === 0) return;
    ids.add(messageId);
    if (this.ringIds.length < this.limit) {
      this.ringSets.push(ids);
      this.ringIds.push(messageId);
      return;
    }
    this.ringSets[this.oldest].delete(this.ringIds[this.oldest]);
    this.ringSets[this.oldest] = ids;
    this.ringIds[this.oldest] = messageId;
    this.oldest = (this.oldest + 1) % this.limit;
  }
}

/** What a session has not staged: its collections are made at its first write of each kind. */
const NONE: ReadonlyMap<string, never> = new Map<string, never>();

/**
 * A transaction over {@link MemoryTables}: writes are staged and applied at commit, after
 * every optimistic version check passed, so a rolled-back transaction leaves nothing behind.
 */
class MemorySession implements DatabaseSession {
  private stagedAggregates?: Map<string, { expected: number; value: StoredAggregate }>;
  private stagedProjections?: Map<string, ProjectionDocument | typeof DELETED>;
  /** What a compare-and-swap write expected the committed document to be (`null`: absent). */
  private expectedProjections?: Map<string, string | null>;
  /** Processed-message records to add: a few per transaction, so a list. */
  private stagedProcessed?: Array<{ readonly handler: string; readonly messageId: string }>;
  private commitActions?: Array<() => void>;

  constructor(private readonly tables: MemoryTables) {}

  async loadAggregate(category: string, id: string): Promise<StoredAggregate | undefined> {
    const staged = this.stagedAggregates?.get(key(category, id));
    if (staged) return structuredClone(staged.value);
    const stored = this.tables.aggregates.get(category)?.get(id);
    return stored && structuredClone(stored);
  }

  async saveAggregate(
    category: string,
    id: string,
    state: Record<string, unknown>,
    expectedVersion: number,
  ): Promise<number> {
    this.stagedAggregates ??= new Map();
    const staged = this.stagedAggregates.get(key(category, id));
    const version = expectedVersion + 1;
    this.stagedAggregates.set(key(category, id), {
      expected: staged?.expected ?? expectedVersion,
      value: { version, state: structuredClone(state) },
    });
    return version;
  }

  async getProjection(name: string, id: string): Promise<ProjectionDocument | undefined> {
    const staged = this.stagedProjections?.get(key(name, id));
    if (staged === DELETED) return undefined;
    const found = staged ?? this.tables.projections.get(name)?.get(id);
    return found && structuredClone(found);
  }

  async listProjections(name: string, query: ProjectionQuery = {}): Promise<ProjectionDocument[]> {
    const merged = new Map<string, ProjectionDocument>(this.tables.projections.get(name) ?? []);
    for (const [staged, document] of this.stagedProjections ?? NONE) {
      const [stagedName, id] = splitKey(staged);
      if (stagedName !== name) continue;
      if (document === DELETED) merged.delete(id);
      else merged.set(id, document);
    }
    return page([...merged.values()], query).map((document) => structuredClone(document));
  }

  async putProjection(
    name: string,
    document: ProjectionDocument,
    expected?: ProjectionDocument | null,
  ): Promise<void> {
    const projectionKey = key(name, document.id);
    this.stagedProjections ??= new Map();
    if (expected !== undefined && !this.stagedProjections.has(projectionKey)) {
      (this.expectedProjections ??= new Map()).set(
        projectionKey,
        expected && JSON.stringify(expected),
      );
    }
    this.stagedProjections.set(projectionKey, structuredClone(document));
  }

  async deleteProjection(name: string, id: string): Promise<void> {
    (this.stagedProjections ??= new Map()).set(key(name, id), DELETED);
  }

  async markProcessed(handler: string, messageId: string): Promise<boolean> {
    if (this.tables.processed.has(handler, messageId)) return false;
    const staged = (this.stagedProcessed ??= []);
    if (staged.some((record) => record.messageId === messageId && record.handler === handler))
      return false;
    staged.push({ handler, messageId });
    return true;
  }

  async markEachProcessed(handler: string, messageIds: readonly string[]): Promise<boolean[]> {
    const recorded: boolean[] = [];
    for (const messageId of messageIds) recorded.push(await this.markProcessed(handler, messageId));
    return recorded;
  }

  onCommit(action: () => void): void {
    (this.commitActions ??= []).push(action);
  }

  /** Applies staged writes atomically, or throws without applying any. */
  commit(): void {
    // Each kind is looked at only when staged: most transactions of a worker stage one record.
    const { stagedProcessed, stagedAggregates, stagedProjections, expectedProjections } = this;
    if (stagedProcessed) {
      for (const { handler, messageId } of stagedProcessed) {
        if (this.tables.processed.has(handler, messageId))
          throw new AlreadyProcessedError(handler, messageId);
      }
    }
    if (stagedAggregates) {
      for (const [staged, { expected }] of stagedAggregates) {
        const [category, id] = splitKey(staged);
        const current = this.tables.aggregates.get(category)?.get(id)?.version ?? 0;
        if (current !== expected) throw new ConcurrencyError(category, id, expected, current);
      }
    }
    if (expectedProjections) {
      for (const [staged, expected] of expectedProjections) {
        const [name, id] = splitKey(staged);
        const current = this.tables.projections.get(name)?.get(id);
        const found = current ? JSON.stringify(current) : null;
        if (found !== expected) {
          const digest = found && createHash('md5').update(found).digest('hex');
          throw new ConcurrencyError(`projection ${name}`, id, 'as read', digest ?? undefined);
        }
      }
    }
    if (stagedAggregates) {
      for (const [staged, { value }] of stagedAggregates) {
        const [category, id] = splitKey(staged);
        this.tables.table(this.tables.aggregates, category).set(id, value);
      }
    }
    if (stagedProjections) {
      for (const [staged, document] of stagedProjections) {
        const [name, id] = splitKey(staged);
        const table = this.tables.table(this.tables.projections, name);
        if (document === DELETED) table.delete(id);
        else table.set(id, document);
      }
    }
    if (stagedProcessed) {
      for (const { handler, messageId } of stagedProcessed)
        this.tables.processed.add(handler, messageId);
    }
    if (this.commitActions) for (const action of this.commitActions) action();
  }
}

/** The `memory` database: for development and tests; everything is lost at exit. */
export class MemoryDatabase implements Database {
  readonly provider = 'memory';
  private readonly tables: MemoryTables;
  private readonly reader: MemorySession;

  /** `processedKept`: processed-message records kept ({@link PROCESSED_RECORDS_KEPT}). */
  constructor(options: { readonly processedKept?: number } = {}) {
    this.tables = new MemoryTables(options.processedKept ?? PROCESSED_RECORDS_KEPT);
    this.reader = new MemorySession(this.tables);
  }

  async transaction<T>(
    work: (session: DatabaseSession) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    if (options.join) throw new JoinedTransactionError(MEMORY_CANNOT_JOIN);
    const session = new MemorySession(this.tables);
    const result = await work(session);
    session.commit();
    const after = options.afterCommit?.();
    if (after) await after;
    return result;
  }

  loadAggregate(category: string, id: string): Promise<StoredAggregate | undefined> {
    return this.reader.loadAggregate(category, id);
  }

  getProjection(name: string, id: string): Promise<ProjectionDocument | undefined> {
    return this.reader.getProjection(name, id);
  }

  listProjections(name: string, query?: ProjectionQuery): Promise<ProjectionDocument[]> {
    return this.reader.listProjections(name, query);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}

const MEMORY_CANNOT_JOIN =
  "the memory database cannot join an application's TypeORM transaction: " +
  'configure databases.default.provider = "postgresql" on the same DataSource';

const SEPARATOR = '\u0000';
const key = (table: string, id: string) => `${table}${SEPARATOR}${id}`;
const splitKey = (staged: string) => staged.split(SEPARATOR) as [string, string];

function page<T>(rows: T[], { limit, offset = 0 }: ProjectionQuery): T[] {
  return rows.slice(offset, limit === undefined ? undefined : offset + limit);
}
