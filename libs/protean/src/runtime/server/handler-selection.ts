import { ConfigurationError } from '../../core/config/configuration.error.js';
import { nearestKey } from '../../core/config/known-keys.js';

/** A worker pool's share of the handlers: `server.handlers` and `server.exclude`. */
export interface HandlerSelectionSettings {
  /** The handlers to run; empty: every handler. */
  readonly handlers: readonly string[];
  /** The handlers to leave to other pools. */
  readonly exclude: readonly string[];
}

/**
 * Which of the application's handlers (consumer groups) a worker runs: those `handlers` names,
 * or every one when it names none, less those `exclude` names. Names match case-insensitively,
 * as per-handler settings do. Throws {@link ConfigurationError} naming the key for a name no
 * handler has (a typo would leave a handler unserved in silence) and for a selection that
 * leaves the worker nothing to run.
 */
export class HandlerSelection {
  private readonly selected: ReadonlySet<string>;

  constructor(
    private readonly settings: HandlerSelectionSettings,
    known: readonly string[],
  ) {
    const byLowerName = new Map(known.map((name) => [name.toLowerCase(), name]));
    const resolve = (key: string, names: readonly string[]) =>
      names.map((name) => {
        const found = byLowerName.get(name.toLowerCase());
        if (found) return found;
        const near = nearestKey(name, known);
        throw new ConfigurationError(
          key,
          `no handler is named "${name}"` +
            (near ? `; did you mean "${near}"?` : '') +
            ` (handlers: ${[...byLowerName.values()].join(', ') || 'none'})`,
        );
      });
    const chosen =
      settings.handlers.length > 0 ? resolve('server.handlers', settings.handlers) : known;
    const excluded = new Set(resolve('server.exclude', settings.exclude));
    this.selected = new Set(chosen.filter((name) => !excluded.has(name)));
    if (this.selected.size === 0 && known.length > 0) {
      throw new ConfigurationError(
        settings.exclude.length > 0 ? 'server.exclude' : 'server.handlers',
        'the selection leaves this worker no handler to run',
      );
    }
    this.all = this.selected.size === new Set(known).size;
  }

  /** Whether the worker runs every handler (no pool). */
  readonly all: boolean;

  /** The pool as configured (`handlers A, B; exclude C`), or `null` for every handler. */
  describe(): string | null {
    if (this.all) return null;
    const { handlers, exclude } = this.settings;
    return [
      handlers.length > 0 ? `handlers ${handlers.join(', ')}` : 'every handler',
      exclude.length > 0 ? `exclude ${exclude.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
  }

  /** Whether the worker runs the handler (consumer group) named `handler`. */
  runs(handler: string): boolean {
    return this.selected.has(handler);
  }

  /** The handlers the worker runs. */
  names(): string[] {
    return [...this.selected];
  }
}
