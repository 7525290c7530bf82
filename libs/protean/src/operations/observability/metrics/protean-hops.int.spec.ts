import { Test, type TestingModule } from '@nestjs/testing';
import { eventually } from '../../testing/eventually.js';
import { PROCESS_POLL } from '../../../../../../test/support/processes.js';
import { CommandBus } from '../../../application/command-bus.js';
import { loadConfiguration } from '../../../core/config/load-configuration.js';
import { MESSAGE_HOPS, type MessageHop } from '../../../core/messages/message-hops.js';
import { DomainCommand } from '../../../core/messages/message.decorators.js';
import { CommandHandler } from '../../../model/handler.decorators.js';
import { ProteanWorkerModule } from '../../../runtime/protean-worker.module.js';
import { ProteanModule } from '../../../runtime/protean.module.js';
import { ProteanEngine } from '../../../runtime/server/protean-engine.js';
import { ProteanMetricsModule } from './protean-metrics.module.js';
import { ProteanMetrics } from './protean-metrics.js';

@DomainCommand({ category: 'hop', identifiedBy: 'hopId' })
class Hop {
  readonly hopId!: string;
}

@CommandHandler(Hop)
class HopHandler {
  async execute(): Promise<void> {}
}

/** Observations of `protean_hop_seconds` by hop, as the registry holds them. */
async function hopCounts(metrics: ProteanMetrics): Promise<Record<MessageHop, number>> {
  const histogram = await metrics.registry.getSingleMetric('protean_hop_seconds')!.get();
  // A histogram's values are its series (_bucket, _sum, _count), each named.
  const values = histogram.values as Array<
    (typeof histogram.values)[number] & { metricName?: string }
  >;
  const counts = Object.fromEntries(MESSAGE_HOPS.map((hop) => [hop, 0]));
  for (const { metricName, labels, value } of values)
    if (metricName === 'protean_hop_seconds_count') counts[String(labels.hop)] = value;
  return counts as Record<MessageHop, number>;
}

describe('protean_hop_seconds', () => {
  let app: TestingModule;

  beforeEach(async () => {
    // Memory database and outbox, inline broker, the relay and the engine in this process.
    const config = loadConfiguration({
      embedded: true,
      overrides: { command_processing: 'async', enable_outbox: true },
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        ProteanModule.forRoot({ domain: 'hops', config }),
        ProteanWorkerModule.embedded(),
        ProteanMetricsModule,
      ],
      providers: [HopHandler],
    }).compile();
    app = await moduleRef.init();
    await app.get(ProteanEngine).start();
  });

  afterEach(async () => {
    await app.get(ProteanEngine).stop();
    await app.close();
  });

  it('exposes every hop, at zero, before a message moves', async () => {
    expect(await hopCounts(app.get(ProteanMetrics))).toEqual({
      commit_to_published: 0,
      published_to_read: 0,
      read_to_started: 0,
      handler: 0,
      transaction: 0,
    });
  });

  it('observes each hop of an async command once, and the two transactions on its way', async () => {
    const metrics = app.get(ProteanMetrics);
    await app.get(CommandBus).process(Object.assign(new Hop(), { hopId: 'h1' }));
    await eventually(async () => (await hopCounts(metrics)).handler > 0, {
      ...PROCESS_POLL,
      what: 'the command handled',
    });
    // The handler's unit of work commits before the handler's hop ends: nothing is left to come.
    expect(await hopCounts(metrics)).toEqual({
      commit_to_published: 1,
      published_to_read: 1,
      read_to_started: 1,
      handler: 1,
      // The one that wrote the command to the outbox, then the handler's own.
      transaction: 2,
    });
    const text = await metrics.metrics();
    expect(text).toMatch(/^protean_hop_seconds_bucket\{le="0\.0005",hop="handler"\} \d+$/m);
    expect(text).toMatch(/^protean_hop_seconds_bucket\{le="5",hop="transaction"\} 2$/m);
  });
});
