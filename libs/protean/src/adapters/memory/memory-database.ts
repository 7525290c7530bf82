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
    this.processed = new LastKept(processedKept);
  }

  readonly aggregates = new Map<string, Table<StoredAggregate>>();
  readonly projections = new Map<string, Table<ProjectionDocument>>();
  /** `handler␀messageId` of the last `processedKept` messages handlers processed. */
  readonly processed: LastKept;

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
 * A set that keeps its last `limit` additions: each addition past the limit forgets the
 * oldest, in constant time (a ring of the keys in addition order beside the set; walking the
 * set from its start instead would pass every deleted slot V8 has not compacted yet).
 */
class LastKept {
  private readonly keys = new Set<string>();
  private readonly order: string[] = [];
  private oldest = 0;

  constructor(private readonly limit: number) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    if (this.keys.has(key)) return;
    this.keys.add(key);
    if (this.order.length < this.limit) {
      this.order.push(key);
      return;
    }
    if (this.limit === 0) {
      this.keys.delete(key);
      return;
    }
    this.keys.delete(this.order[this.oldest]);
    this.order[this.oldest] = key;
    this.oldest = (this.oldest + 1) % this.limit;
  }
}

/**
 * A transaction over {@link MemoryTables}: writes are staged and applied at commit, after
 * every optimistic version check passed, so a rolled-back transaction leaves nothing behind.
 */
class MemorySession implements DatabaseSession {
  private readonly stagedAggregates = new Map<
    string,
    { expected: number; value: StoredAggregate }
  >();
  private readonly stagedProjections = new Map<string, ProjectionDocument | typeof DELETED>();
  /** What a compare-and-swap write expected the committed document to be (`null`: absent). */
  private readonly expectedProjections = new Map<string, string | null>();
  private readonly stagedProcessed = new Set<string>();
  private readonly commitActions: Array<() => void> = [];

  constructor(private readonly tables: MemoryTables) {}

  async loadAggregate(category: string, id: string): Promise<StoredAggregate | undefined> {
    const staged = this.stagedAggregates.get(key(category, id));
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
    const staged = this.stagedAggregates.get(key(category, id));
    const version = expectedVersion + 1;
    this.stagedAggregates.set(key(category, id), {
      expected: staged?.expected ?? expectedVersion,
      value: { version, state: structuredClone(state) },
    });
    return version;
  }

  async getProjection(name: string, id: string): Promise<ProjectionDocument | undefined> {
    const staged = this.stagedProjections.get(key(name, id));
    if (staged === DELETED) return undefined;
    const found = staged ?? this.tables.projections.get(name)?.get(id);
    return found && structuredClone(found);
  }

  async listProjections(name: string, query: ProjectionQuery = {}): Promise<ProjectionDocument[]> {
    const merged = new Map<string, ProjectionDocument>(this.tables.projections.get(name) ?? []);
    for (const [staged, document] of this.stagedProjections) {
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
    if (expected !== undefined && !this.stagedProjections.has(projectionKey)) {
      this.expectedProjections.set(projectionKey, expected && JSON.stringify(expected));
    }
    this.stagedProjections.set(projectionKey, structuredClone(document));
  }

  async deleteProjection(name: string, id: string): Promise<void> {
    this.stagedProjections.set(key(name, id), DELETED);
  }

  async markProcessed(handler: string, messageId: string): Promise<boolean> {
    const marker = key(handler, messageId);
    if (this.tables.processed.has(marker) || this.stagedProcessed.has(marker)) return false;
    this.stagedProcessed.add(marker);
    return true;
  }

  async markEachProcessed(handler: string, messageIds: readonly string[]): Promise<boolean[]> {
    const recorded: boolean[] = [];
    for (const messageId of messageIds) recorded.push(await this.markProcessed(handler, messageId));
    return recorded;
  }

  onCommit(action: () => void): void {
    this.commitActions.push(action);
  }

  /** Applies staged writes atomically, or throws without applying any. */
  commit(): void {
    for (const marker of this.stagedProcessed) {
      if (this.tables.processed.has(marker)) throw new AlreadyProcessedError(...splitKey(marker));
    }
    for (const [staged, { expected }] of this.stagedAggregates) {
      const [category, id] = splitKey(staged);
      const current = this.tables.aggregates.get(category)?.get(id)?.version ?? 0;
      if (current !== expected) throw new ConcurrencyError(category, id, expected, current);
    }
    for (const [staged, expected] of this.expectedProjections) {
      const [name, id] = splitKey(staged);
      const current = this.tables.projections.get(name)?.get(id);
      const found = current ? JSON.stringify(current) : null;
      if (found !== expected) {
        const digest = found && createHash('md5').update(found).digest('hex');
        throw new ConcurrencyError(`projection ${name}`, id, 'as read', digest ?? undefined);
      }
    }
    for (const [staged, { value }] of this.stagedAggregates) {
      const [category, id] = splitKey(staged);
      this.tables.table(this.tables.aggregates, category).set(id, value);
    }
    for (const [staged, document] of this.stagedProjections) {
      const [name, id] = splitKey(staged);
      const table = this.tables.table(this.tables.projections, name);
      if (document === DELETED) table.delete(id);
      else table.set(id, document);
    }
    for (const marker of this.stagedProcessed) this.tables.processed.add(marker);
    for (const action of this.commitActions) action();
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
    await options.afterCommit?.();
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
