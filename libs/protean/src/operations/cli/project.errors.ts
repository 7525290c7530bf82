import { ProteanError } from '../../core/errors/protean.error.js';

/** `protean` found no module to run: none given, none declared. */
export class ProjectModuleNotFoundError extends ProteanError {
  constructor(cwd: string) {
    super(
      `No Protean module found from ${cwd}: pass --module <file.js>[#Export], or declare ` +
        `"protean": { "module": "<file.js>#<Export>", "domain": "<name>" } in package.json`,
    );
  }
}

/** The module that was named cannot be used (missing file, missing export, not a Nest module). */
export class ProjectModuleInvalidError extends ProteanError {
  constructor(reference: string, source: string, problem: string) {
    super(`The Protean module "${reference}" (from ${source}) ${problem}`);
  }
}

/** A command needs the domain's name and none is configured. */
export class DomainNotConfiguredError extends ProteanError {
  constructor() {
    super(
      'No domain name: pass --domain <name>, or declare "protean": { "domain": "<name>" } in package.json',
    );
  }
}

/** `--domain` names a domain other than the configured one. */
export class DomainMismatchError extends ProteanError {
  constructor(requested: string, configured: string, source: string) {
    super(
      `--domain "${requested}" does not match the configured domain "${configured}" (from ${source}); ` +
        'run protean where that domain is configured, or name its module with --module',
    );
  }
}
