import type { CommandMode } from '../../application/command-bus.js';
import type { Type } from '../../core/messages/domain-types.js';
import type { ProteanCqrsOptions } from './protean-cqrs.options.js';
import { CqrsBridgeConfigurationError } from './cqrs-bridge-configuration.error.js';

/**
 * Which command classes run in the caller (`sync`) and which in the worker (`async`): the
 * classes listed in `commands.sync` / `commands.async`, the others by `commands.default`, else
 * by `command_processing`. Checked when made: a class listed both ways, or an `async` command
 * under `command_processing = "sync"` (the delivery policy would never send it), is refused.
 */
export class CommandModes {
  private readonly listed = new Map<Type, CommandMode>();
  private readonly fallback: CommandMode;

  constructor(commands: ProteanCqrsOptions['commands'] = {}, commandProcessing: CommandMode) {
    for (const type of commands.sync ?? []) this.listed.set(type, 'sync');
    for (const type of commands.async ?? []) {
      if (this.listed.get(type) === 'sync') {
        throw new CqrsBridgeConfigurationError(
          'ProteanCqrsModule commands',
          `${type.name} is listed both in sync and in async; keep one`,
        );
      }
      this.listed.set(type, 'async');
    }
    this.fallback = commands.default ?? commandProcessing;
    const wantsAsync = this.fallback === 'async' || [...this.listed.values()].includes('async');
    if (wantsAsync && commandProcessing === 'sync') {
      throw new CqrsBridgeConfigurationError(
        'command_processing',
        'is "sync", but ProteanCqrsModule sends commands to the worker (commands.async or ' +
          'commands.default = "async"); set command_processing = "async"',
      );
    }
  }

  /** How commands of class `type` are processed. */
  modeOf(type: Type): CommandMode {
    return this.listed.get(type) ?? this.fallback;
  }
}
