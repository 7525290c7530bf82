type ProteanContextArgs = [stream: string, messageId: string, deliveryCount: number];

/**
 * The context an `@EventPattern` handler gets with a Protean stream message (`@Ctx()`).
 *
 * The same shape as `@nestjs/microservices`' `BaseRpcContext` (`getArgs`, `getArgByIndex`)
 * without extending it: the engine builds this for every pattern message, and extending would
 * load the whole microservices package into every process that merely uses the buses.
 */
export class ProteanContext {
  constructor(protected readonly args: ProteanContextArgs) {}

  /** The context's arguments: stream, entry id, delivery count. */
  getArgs(): ProteanContextArgs {
    return this.args;
  }

  /** One of the context's arguments by position. */
  getArgByIndex<Index extends 0 | 1 | 2>(index: Index): ProteanContextArgs[Index] {
    return this.args[index];
  }

  /** The stream the message was read from. */
  getStream(): string {
    return this.args[0];
  }

  /** The broker's entry id. */
  getMessageId(): string {
    return this.args[1];
  }

  /** How many times the message has been delivered, this time included. */
  getDeliveryCount(): number {
    return this.args[2];
  }
}
