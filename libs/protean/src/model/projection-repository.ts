import { Inject } from '@nestjs/common';
import type {
  Database,
  DatabaseReader,
  ProjectionDocument,
  ProjectionQuery,
} from '../ports/database/database.port.js';
import { PROJECTION_METADATA } from '../core/messages/protean.constants.js';
import { waitYourTurnIfHot } from './aggregate-locks.js';
import { NotFoundError } from '../core/errors/not-found.error.js';
import type { Type } from '../core/messages/domain-types.js';
import type { ProjectionMetadata } from './projection.decorator.js';
import type { UnitOfWorkManager } from './unit-of-work-manager.js';
import { NotAProjectionError } from './not-a-projection.error.js';

export function projectionNameOf(type: Type): string {
  const metadata = Reflect.getMetadata(PROJECTION_METADATA, type) as ProjectionMetadata | undefined;
  if (!metadata) throw new NotAProjectionError(type);
  return metadata.name;
}

export const getProjectionRepositoryToken = (type: Type): string =>
  `ProteanProjection:${type.name}`;

/** Injects the `ProjectionRepository` of `type` (registered with `ProteanModule.forFeature`). */
export const InjectProjectionRepository = (type: Type) =>
  Inject(getProjectionRepositoryToken(type));

/**
 * Reads and writes the documents of one read model. Writes made by a projector commit with
 * its unit of work; reads inside a unit of work see its own writes.
 */
export class ProjectionRepository<T extends { id: string }> {
  readonly name: string;
  /** Per unit of work: documents as read (or last written) there, `null` when absent. */
  private readonly seen = new WeakMap<object, Map<string, ProjectionDocument | null>>();

  constructor(
    readonly type: Type<T>,
    private readonly units: UnitOfWorkManager,
    private readonly database: Database,
  ) {
    this.name = projectionNameOf(type);
  }

  /**
   * The document, or `undefined`. Inside a unit of work what was read is remembered, and
   * `save` of the same id writes only if nobody changed the document since (optimistic
   * concurrency: the unit of work is retried on `ConcurrencyError`).
   */
  async find(id: string): Promise<T | undefined> {
    const unit = this.units.current();
    if (unit) waitYourTurnIfHot(unit.attempt, `projection ${this.name}`, id);
    const document = await this.reader().getProjection(this.name, id);
    if (unit) {
      const seen = this.seen.get(unit) ?? new Map<string, ProjectionDocument | null>();
      this.seen.set(unit, seen);
      if (!seen.has(id)) seen.set(id, document ? structuredClone(document) : null);
    }
    return document && this.instance(document);
  }

  /** The document; throws `NotFoundError` when there is none with this id. */
  async get(id: string): Promise<T> {
    const found = await this.find(id);
    if (!found) throw new NotFoundError(this.type.name, id);
    return found;
  }

  /** Documents in the order they were first written. */
  async list(query?: ProjectionQuery): Promise<T[]> {
    const documents = await this.reader().listProjections(this.name, query);
    return documents.map((document) => this.instance(document));
  }

  /** Writes the document; compare-and-swap against what `find` read in this unit of work. */
  async save(document: T): Promise<void> {
    const plain = JSON.parse(JSON.stringify(document)) as T & Record<string, unknown>;
    await this.units.run(async () => {
      const unit = this.units.current()!;
      const seen = this.seen.get(unit);
      const expected = seen?.has(plain.id) ? seen.get(plain.id) : undefined;
      await unit.session.putProjection(this.name, plain, expected);
      seen?.set(plain.id, structuredClone(plain));
    });
  }

  async delete(id: string): Promise<void> {
    await this.units.run(() => this.units.current()!.session.deleteProjection(this.name, id));
  }

  private reader(): DatabaseReader {
    return this.units.current()?.session ?? this.database;
  }

  private instance(document: Record<string, unknown>): T {
    return Object.assign(Object.create(this.type.prototype as object) as T, document);
  }
}
