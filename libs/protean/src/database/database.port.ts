/**
 * The database port: aggregates as versioned JSON state, read models as JSON documents, both
 * written in one transaction per unit of work. Adapters: `memory` and `postgresql`.
 */

/** An aggregate as stored: its state and the version it was saved at. */
export interface StoredAggregate {
  readonly version: number;
  readonly state: Record<string, unknown>;
}

/** A read-model document: plain JSON with an `id`. */
export type ProjectionDocument = Record<string, unknown> & { readonly id: string };

export interface ProjectionQuery {
  readonly limit?: number;
  readonly offset?: number;
}

/** Reads, available inside a transaction (seeing its own writes) and outside. */
export interface DatabaseReader {
  loadAggregate(category: string, id: string): Promise<StoredAggregate | undefined>;
  getProjection(name: string, id: string): Promise<ProjectionDocument | undefined>;
  /** Documents of a read model in the order they were first written. */
  listProjections(name: string, query?: ProjectionQuery): Promise<ProjectionDocument[]>;
}

/** One transaction: everything written commits together or not at all. */
export interface DatabaseSession extends DatabaseReader {
  /**
   * Inserts (`expectedVersion` 0) or updates an aggregate; resolves to the new version.
   * Throws `ConcurrencyError` when the stored version is not `expectedVersion`.
   */
  saveAggregate(
    category: string,
    id: string,
    state: Record<string, unknown>,
    expectedVersion: number,
  ): Promise<number>;
  putProjection(name: string, document: ProjectionDocument): Promise<void>;
  deleteProjection(name: string, id: string): Promise<void>;
  /**
   * Records that `handler` processed `messageId`, with the handler's other writes. Resolves to
   * `false`, writing nothing, when it was recorded before: the message is a redelivery and its
   * effects are already committed (exactly-once effects over at-least-once delivery).
   */
  markProcessed(handler: string, messageId: string): Promise<boolean>;
}

export interface Database extends DatabaseReader {
  /** The configured provider: `memory` or `postgresql`. */
  readonly provider: string;
  /** Runs `work` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (session: DatabaseSession) => Promise<T>): Promise<T>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
