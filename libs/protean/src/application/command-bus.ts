import { Inject, Injectable } from '@nestjs/common';
import type { ProteanConfig } from '../core/config/config.schema.js';
import { ValidationError } from '../core/errors/validation.error.js';
import { HandlerRegistry } from '../model/handler-registry.js';
import { UnitOfWorkManager } from '../model/unit-of-work-manager.js';
import type { EnvelopeFactory } from '../core/messages/envelope-factory.js';
import { problemsOf } from '../core/messages/message-validation.js';
import { ENVELOPE_FACTORY, PROTEAN_CONFIG } from '../core/protean.tokens.js';
import { HandlerRunner } from './handler-runner.js';
import { inSpan } from '../core/tracing/protean-tracer.js';

/** How a command is processed: its handler in the caller (`sync`) or in the engine (`async`). */
export type CommandMode = 'sync' | 'async';

/** How {@link CommandBus.process} processes one command, when not as configured. */
export interface ProcessOptions {
  /** Overrides `command_processing`; `async` needs `command_processing = "async"`. */
  readonly mode?: CommandMode;
  /** The aggregate it addresses, instead of its `identifiedBy` field. */
  readonly target?: string;
}

/**
 * Processes commands. In `sync` mode the command's handler runs in the caller's context and
 * its result is returned; in `async` mode the command is stored for the server engine (through
 * the outbox when enabled) and `process` resolves once it is safely recorded.
 */
@Injectable()
export class CommandBus {
  constructor(
    @Inject(PROTEAN_CONFIG) private readonly config: ProteanConfig,
    @Inject(ENVELOPE_FACTORY) private readonly envelopes: EnvelopeFactory,
    private readonly registry: HandlerRegistry,
    private readonly runner: HandlerRunner,
    private readonly units: UnitOfWorkManager,
  ) {}

  /** Whether commands are processed asynchronously (`command_processing = "async"`). */
  get isAsync(): boolean {
    return this.config.command_processing === 'async';
  }

  /**
   * Validates and processes a command. Sync: resolves to the handler's result after its unit of
   * work committed and the events it raised were handled. Async: resolves to `undefined` once
   * the command is recorded. Throws `ValidationError` naming the fields of an invalid command.
   * Traced as the span `process command <Type>`, which the command's envelope carries on.
   * `options` override the mode and the target for this command (the `@nestjs/cqrs` bridge
   * decides per command class); `async` needs `command_processing = "async"`, which routes
   * commands to the outbox or the broker.
   */
  process<R = unknown>(command: object, options: ProcessOptions = {}): Promise<R | undefined> {
    return inSpan(`process command ${command.constructor.name}`, () =>
      this.processNow<R>(
        command,
        options.mode ?? (this.isAsync ? 'async' : 'sync'),
        options.target,
      ),
    );
  }

  private async processNow<R>(
    command: object,
    mode: CommandMode,
    target: string | undefined,
  ): Promise<R | undefined> {
    const problems = problemsOf(command);
    if (problems.length > 0)
      throw new ValidationError(`Invalid ${command.constructor.name}`, problems);
    const envelope = this.envelopes.command(command, target);
    if (mode === 'async') {
      await this.units.run(async () => this.units.current()!.enqueue(envelope));
      return undefined;
    }
    const handler = this.registry.commandHandlerFor(envelope.type);
    return (await this.runner.run(handler, envelope, command)) as R;
  }
}
