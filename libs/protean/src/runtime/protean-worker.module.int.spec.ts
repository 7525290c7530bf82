import type { DynamicModule } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { eventually } from '../operations/testing/eventually.js';
import { PROCESS_POLL } from '../../../../test/support/processes.js';
import { CommandBus } from '../application/command-bus.js';
import { UndeliverableSubscriptionsError } from '../core/config/undeliverable-subscriptions.error.js';
import { loadConfiguration } from '../core/config/load-configuration.js';
import { DomainCommand } from '../core/messages/message.decorators.js';
import { CommandHandler } from '../model/handler.decorators.js';
import { ProteanWorkerModule } from './protean-worker.module.js';
import { ProteanModule } from './protean.module.js';
import { ProteanEngine } from './server/protean-engine.js';
import type { SubscriptionObserver } from './server/subscription-observer.js';
import { SubscriptionObservers } from './server/subscription-observers.js';

@DomainCommand({ category: 'ping', identifiedBy: 'pingId' })
class Ping {
  readonly pingId!: string;
}

@CommandHandler(Ping)
class PingHandler {
  async execute(): Promise<void> {}
}

/** Async commands straight to the inline broker: a subscription only this process can feed. */
async function application(...worker: Array<DynamicModule | typeof ProteanWorkerModule>) {
  const config = loadConfiguration({
    embedded: true,
    overrides: { command_processing: 'async', enable_outbox: false },
  });
  const moduleRef = await Test.createTestingModule({
    imports: [ProteanModule.forRoot({ domain: 'pings', config }), ...worker],
    providers: [PingHandler],
  }).compile();
  return moduleRef.init();
}

/** An observer that keeps what it was told of processed messages. */
function recorder(): SubscriptionObserver & { readonly seen: string[] } {
  const seen: string[] = [];
  const ignore = () => undefined;
  return {
    seen,
    processed: (group, stream) => void seen.push(`${group}@${stream}`),
    failed: ignore,
    retried: ignore,
    deadLettered: ignore,
    hop: ignore,
  };
}

describe('ProteanWorkerModule', () => {
  const apps: TestingModule[] = [];
  // Only a transport stops the engine; a bare application context leaves that to the test.
  const close = async (app: TestingModule) => {
    await app.get(ProteanEngine).stop();
    await app.close();
  };
  afterEach(() => Promise.all(apps.splice(0).map(close)));

  it('refuses at engine start what a worker apart from the API could never receive', async () => {
    const app = await application(ProteanWorkerModule);
    apps.push(app);
    const engine = app.get(ProteanEngine);
    await expect(engine.start()).rejects.toThrow(UndeliverableSubscriptionsError);
    await expect(engine.start()).rejects.toThrow(/PingHandler/);
    expect(engine.state).toBe('idle');
  });

  it.each([
    ['embedded in the API (ProteanWorkerModule.embedded())', [ProteanWorkerModule.embedded()]],
    ['absent', []],
  ])('checks nothing when %s', async (_, worker) => {
    const app = await application(...worker);
    apps.push(app);
    await app.get(ProteanEngine).start();
    expect(app.get(ProteanEngine).state).toBe('running');
  });
});

describe('SubscriptionObservers', () => {
  it('connects the observers added before the engine starts, not those added after', async () => {
    const app = await application(ProteanWorkerModule.embedded());
    const early = recorder();
    const late = recorder();
    try {
      app.get(SubscriptionObservers).add(early);
      await app.get(ProteanEngine).start();
      app.get(SubscriptionObservers).add(late);
      await app.get(CommandBus).process(Object.assign(new Ping(), { pingId: 'p1' }));
      await eventually(() => early.seen.length > 0, {
        ...PROCESS_POLL,
        what: 'the ping processed',
      });
      expect(early.seen).toEqual([expect.stringMatching(/^PingHandler@/)]);
      expect(late.seen).toEqual([]);
    } finally {
      await app.get(ProteanEngine).stop();
      await app.close();
    }
  });
});
