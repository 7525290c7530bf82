import { ProteanError } from '../../core/errors/protean.error.js';

/** A command needs the domain's name and none is configured. */
export class DomainNotConfiguredError extends ProteanError {
  constructor() {
    super(
      'No domain name: pass --domain <name>, or declare "protean": { "domain": "<name>" } in package.json',
    );
  }
}
