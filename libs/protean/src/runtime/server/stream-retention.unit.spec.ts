import { InlineBroker } from '../../adapters/memory/inline-broker/inline.broker.js';
import { StreamRetention } from './stream-retention.js';

async function streamOf(broker: InlineBroker, stream: string, entries: number): Promise<void> {
  await broker.ensureGroup(stream, 'G', '0');
  await broker.publishBatch(Array.from({ length: entries }, (_, n) => ({ stream, data: `${n}` })));
  const read = await broker.read(stream, 'G', 'c', { count: entries, blockMs: 0 });
  await broker.ack(
    stream,
    'G',
    read.map((m) => m.id),
  );
}

async function lengthAfterTrim(broker: InlineBroker, stream: string, retention: StreamRetention) {
  retention.start();
  retention.stop();
  await new Promise((next) => setImmediate(next));
  return (await broker.streamInfo(stream)).length;
}

describe('StreamRetention', () => {
  const broker = () => new InlineBroker('default', { maxPayloadBytes: 1024, maxStreamLength: 0 });

  it('caps a stream at the largest length its subscriptions ask for', async () => {
    const inline = broker();
    await streamOf(inline, 's', 500);
    const retention = new StreamRetention();
    retention.add(inline, 's', 100);
    retention.add(inline, 's', 200);
    expect(await lengthAfterTrim(inline, 's', retention)).toBe(200);
  });

  it('keeps everything when one subscription asks for no cap', async () => {
    const inline = broker();
    await streamOf(inline, 's', 500);
    const retention = new StreamRetention();
    retention.add(inline, 's', 100);
    retention.add(inline, 's', 0);
    expect(await lengthAfterTrim(inline, 's', retention)).toBe(500);
  });
});
