import { BrokerError } from './broker.error.js';

/**
 * A read under a partition lease found the lease gone: expired without renewal, or taken over
 * by another consumer. The reader stops reading that partition; what it holds is the new
 * owner's to take over.
 */
export class PartitionLeaseLostError extends BrokerError {
  constructor(
    brokerName: string,
    readonly stream: string,
    readonly group: string,
  ) {
    super(
      brokerName,
      `The lease of group "${group}" on partition "${stream}" was lost (expired or taken over)`,
    );
  }
}
