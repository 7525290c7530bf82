import { Injectable } from '@nestjs/common';
import type { EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { NoUnitOfWorkError } from './no-unit-of-work.error.js';
import { UnitOfWorkManager } from './unit-of-work-manager.js';

/**
 * The TypeORM `EntityManager` of the calling unit of work, injectable anywhere: a handler
 * saves the application's own entities through it, and they commit together with its
 * aggregates and the outbox rows of its events — or roll back with them.
 *
 * ```ts
 * constructor(private readonly tx: TransactionalEntityManager) {}
 * async execute(command: Register) {
 *   await this.tx.getRepository(User).save({ id: command.userId, email: command.email });
 *   this.accounts.add(Account.open(command.userId)); // raises AccountOpened
 * }
 * ```
 */
@Injectable()
export class TransactionalEntityManager {
  constructor(private readonly units: UnitOfWorkManager) {}

  /** The unit of work's `EntityManager`; throws outside a unit of work. */
  get manager(): EntityManager {
    const unit = this.units.current();
    if (!unit) throw new NoUnitOfWorkError('TransactionalEntityManager');
    return unit.entityManager;
  }

  /** `manager.getRepository(target)`: a repository bound to the unit of work's transaction. */
  getRepository<Entity extends ObjectLiteral>(target: EntityTarget<Entity>): Repository<Entity> {
    return this.manager.getRepository(target);
  }
}
