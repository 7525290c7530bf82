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
