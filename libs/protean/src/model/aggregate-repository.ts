import { Inject } from '@nestjs/common';
import type { Database, DatabaseReader } from '../ports/database/database.port.js';
import { AGGREGATE_METADATA } from '../core/messages/protean.constants.js';
import { rehydrate, type AggregateRoot } from './aggregate-root.js';
import { waitYourTurnIfHot } from './aggregate-locks.js';
import { NotFoundError } from '../core/errors/not-found.error.js';
import type { AggregateMetadata, Type } from '../core/messages/domain-types.js';
import { NoUnitOfWorkError } from './no-unit-of-work.error.js';
import type { UnitOfWorkManager } from './unit-of-work-manager.js';
import { NotAnAggregateError } from './not-an-aggregate.error.js';

/** The `@Aggregate` category of an aggregate class. */
export function aggregateCategoryOf(type: Type): string {
  const metadata = Reflect.getMetadata(AGGREGATE_METADATA, type) as AggregateMetadata | undefined;
  if (!metadata) throw new NotAnAggregateError(type);
  return metadata.category;
}

/** The injection token of the repository of an aggregate class. */
export const getRepositoryToken = (type: Type): string => `ProteanRepository:${type.name}`;

/** Injects the `AggregateRepository` of `type` (registered with `ProteanModule.forFeature`). */
export const InjectAggregateRepository = (type: Type) => Inject(getRepositoryToken(type));

/**
 * Loads and adds aggregates of one type. Inside a unit of work it reads through the
 * transaction and tracks what it returns, so changes are saved when the unit of work commits.
 */
export class AggregateRepository<T extends AggregateRoot> {
  readonly category: string;

  constructor(
    readonly type: Type<T>,
    private readonly units: UnitOfWorkManager,
    private readonly database: Database,
  ) {
    this.category = aggregateCategoryOf(type);
  }

  /** The aggregate, or `undefined` when there is none with this id. */
  async find(id: string): Promise<T | undefined> {
    const unit = this.units.current();
    const known = unit?.identity(this.category, id);
    if (known) return known as T;
    if (unit) waitYourTurnIfHot(unit.attempt, this.category, id);
    const reader: DatabaseReader = unit?.session ?? this.database;
    const stored = await reader.loadAggregate(this.category, id);
    if (!stored) return undefined;
    const aggregate = rehydrate(this.type, stored.state, stored.version);
    unit?.track(aggregate, this.category, JSON.stringify(aggregate));
    return aggregate;
  }

  /** The aggregate; throws `NotFoundError` when there is none with this id. */
  async get(id: string): Promise<T> {
    const aggregate = await this.find(id);
    if (!aggregate) throw new NotFoundError(this.type.name, id);
    return aggregate;
  }

  /** Adds a new aggregate to the current unit of work; it is inserted at commit. */
  add(aggregate: T): void {
    const unit = this.units.current();
    if (!unit) throw new NoUnitOfWorkError(`${this.type.name} repository add()`);
    unit.track(aggregate, this.category);
  }
}
