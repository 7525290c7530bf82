import { BaseRpcContext } from '@nestjs/microservices';

type ProteanContextArgs = [stream: string, messageId: string, deliveryCount: number];

/** The context an `@EventPattern` handler gets with a Protean stream message (`@Ctx()`). */
export class ProteanContext extends BaseRpcContext<ProteanContextArgs> {
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
