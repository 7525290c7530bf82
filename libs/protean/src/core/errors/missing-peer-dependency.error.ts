import { ProteanError } from './protean.error.js';

/**
 * An optional peer dependency (`ioredis`, `pg`, `typeorm`) that a configured feature needs is not
 * installed: the message names the package to install and the feature that wants it.
 */
export class MissingPeerDependencyError extends ProteanError {
  constructor(
    readonly packageName: string,
    readonly feature: string,
    options?: ErrorOptions,
  ) {
    super(`${feature} needs the package "${packageName}": npm install ${packageName}`, options);
  }
}
