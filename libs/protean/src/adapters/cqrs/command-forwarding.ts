import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { CommandBus as CqrsCommandBus, CommandHandler as CqrsCommandHandler } from '@nestjs/cqrs';
import { CommandBus } from '../../application/command-bus.js';
import type { Type } from '../../core/messages/domain-types.js';
import { CommandModes } from './command-modes.js';
import { targetOf } from './cqrs-messages.js';
import { CqrsHandlerSource } from './cqrs-handler-source.js';
import { PROTEAN_CQRS_OPTIONS, type ProteanCqrsOptions } from './protean-cqrs.options.js';

/**
 * Puts Protean's command bus under `@nestjs/cqrs`'s: once `CqrsModule` has bound every
 * `@CommandHandler` (its `onApplicationBootstrap`, which runs first: it is global), each of
 * their command classes is bound again, through `CommandBus.register` (public), to a forwarder
 * that calls `CommandBus.process` of Protean in the class's mode ({@link CommandModes}):
 * `sync` runs the handler in a unit of work of its own and returns its result, `async` writes
 * the command to the outbox (of the caller's unit of work, if any) for a worker. `@nestjs/cqrs`
 * logs one line per class as it overrides the binding. A `commandPublisher` could not do this:
 * `CommandBus.execute` runs the handler whatever the publisher does.
 */
@Injectable()
export class CommandForwarding implements OnApplicationBootstrap {
  constructor(
    private readonly cqrsCommands: CqrsCommandBus,
    private readonly commands: CommandBus,
    private readonly modes: CommandModes,
    private readonly source: CqrsHandlerSource,
    @Inject(PROTEAN_CQRS_OPTIONS) private readonly options: ProteanCqrsOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.cqrsCommands.register(this.source.commands().map((type) => this.forwarder(type)));
  }

  private forwarder(command: Type): InstanceWrapper {
    const mode = this.modes.modeOf(command);
    const commands = this.commands;
    const identifiedBy = this.options.identifiedBy;
    const Forwarder = class {
      execute(message: object): Promise<unknown> {
        return commands.process(message, { mode, target: targetOf(message, identifiedBy) });
      }
    };
    Object.defineProperty(Forwarder, 'name', { value: `Protean(${command.name}, ${mode})` });
    CqrsCommandHandler(command)(Forwarder);
    const wrapper = {
      metatype: Forwarder,
      instance: new Forwarder(),
      isDependencyTreeStatic: () => true,
    };
    return wrapper as unknown as InstanceWrapper;
  }
}
