import type { Broker, ReceivedMessage } from '../../ports/broker/broker.port.js';

/** Reads (blocking) until `count` messages have arrived or `timeoutMs` passed. */
export async function readUntil(
  broker: Broker,
  stream: string,
  group: string,
  consumer: string,
  count: number,
  timeoutMs = 4000,
): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (received.length < count) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const batch = await broker.read(stream, group, consumer, {
      count: count - received.length,
      blockMs: Math.min(remaining, 1000),
    });
    received.push(...batch);
  }
  return received;
}
