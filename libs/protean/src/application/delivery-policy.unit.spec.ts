import { loadConfiguration } from '../core/config/load-configuration.js';
import type { DatabaseSession } from '../ports/database/database.port.js';
import type {
  AfterCommitHook,
  BeforeCommitHook,
  UnitOfWorkManager,
} from '../model/unit-of-work-manager.js';
import type { EventStoreRecorder } from './event-store-recorder.js';
import type { MessageEnvelope } from '../core/messages/message-envelope.js';
import type { OutboxWriter } from './outbox-writer.js';
import { DeliveryPolicy } from './delivery-policy.js';
import type { DirectPublisher } from './direct-publisher.js';
import type { EventBus } from './event-bus.js';

const command = { kind: 'COMMAND', type: 'shop.PlaceOrder.v1' } as MessageEnvelope;
const event = { kind: 'EVENT', type: 'shop.OrderPlaced.v1' } as MessageEnvelope;
const session = {} as DatabaseSession;

/** The policy over recording fakes: runs one commit of `[event, command]` and says what ran. */
async function commitWith(settings: Record<string, unknown>, joinsUnitOfWork: boolean) {
  const before: BeforeCommitHook[] = [];
  const after: AfterCommitHook[] = [];
  const calls: string[] = [];
  const kinds = (messages: readonly MessageEnvelope[]) => messages.map((m) => m.kind).join('+');
  const units = {
    beforeCommit: (hook: BeforeCommitHook) => before.push(hook),
    afterCommit: (hook: AfterCommitHook) => after.push(hook),
  } as unknown as UnitOfWorkManager;
  const recorder = {
    joinsUnitOfWork,
    record: async (messages: readonly MessageEnvelope[], inTransaction?: DatabaseSession) => {
      calls.push(`event store ${inTransaction ? 'in' : 'after'} transaction: ${kinds(messages)}`);
    },
  } as unknown as EventStoreRecorder;
  const outbox = {
    write: async (_: DatabaseSession, messages: readonly MessageEnvelope[]) => {
      calls.push(`outbox: ${kinds(messages)}`);
    },
  } as unknown as OutboxWriter;
  const publisher = {
    publish: async (messages: readonly MessageEnvelope[]) => {
      calls.push(`broker: ${kinds(messages)}`);
    },
  } as unknown as DirectPublisher;
  const events = {
    dispatchInOrder: async (messages: readonly MessageEnvelope[]) => {
      calls.push(`in process: ${kinds(messages)}`);
    },
  } as unknown as EventBus;
  const config = loadConfiguration({ embedded: true, overrides: settings });
  new DeliveryPolicy(config, units, recorder, outbox, publisher, events).onModuleInit();
  for (const hook of before) await hook(session, [event, command]);
  calls.push('-- commit --');
  for (const hook of after) await hook([event, command]);
  return calls;
}

describe('DeliveryPolicy', () => {
  it.each([
    {
      when: 'async with the outbox and a joined event store: both inside the transaction (the outbox acts on its commit itself)',
      settings: { command_processing: 'async', event_processing: 'async', enable_outbox: true },
      joins: true,
      calls: ['event store in transaction: EVENT+COMMAND', 'outbox: EVENT+COMMAND', '-- commit --'],
    },
    {
      when: 'async commands, sync events, no outbox: recorded, published directly, then events handled here',
      settings: { command_processing: 'async', event_processing: 'sync', enable_outbox: false },
      joins: false,
      calls: [
        '-- commit --',
        'event store after transaction: EVENT+COMMAND',
        'broker: COMMAND',
        'in process: EVENT',
      ],
    },
    {
      when: 'all sync: nothing travels asynchronously; events are handled in process',
      settings: { command_processing: 'sync', event_processing: 'sync', enable_outbox: true },
      joins: false,
      calls: [
        'outbox: ',
        '-- commit --',
        'event store after transaction: EVENT+COMMAND',
        'in process: EVENT',
      ],
    },
  ])('$when', async ({ settings, joins, calls }) => {
    expect(await commitWith(settings, joins)).toEqual(calls);
  });
});
