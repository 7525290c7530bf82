import { loadConfiguration } from './load-configuration.js';
import {
  producerOnlyDeliveryProblem,
  workerDeliveryProblem,
  type WorkerSubscription,
} from './delivery-problems.js';

const problemWith = (env: Record<string, string>) =>
  producerOnlyDeliveryProblem(loadConfiguration({ env }));

describe('producerOnlyDeliveryProblem', () => {
  it('refuses the inline broker with async commands, naming the keys and both fixes', () => {
    const line = problemWith({ PROTEAN_COMMAND_PROCESSING: 'async' });
    expect(line).toContain('brokers.default.provider = "inline"');
    expect(line).toContain('command_processing = "async"');
    expect(line).not.toContain('event_processing');
    expect(line).toContain('`npm start`');
    expect(line).toContain('provider = "redis"');
    expect(line).not.toContain('\n');
  });

  it('refuses the inline broker with async events', () => {
    expect(problemWith({ PROTEAN_EVENT_PROCESSING: 'async' })).toContain(
      'event_processing = "async"',
    );
  });

  it('counts event_store as the type when none is set (the built-in default)', () => {
    expect(
      problemWith({
        PROTEAN_EVENT_PROCESSING: 'async',
        PROTEAN_EVENT_STORE__PROVIDER: 'postgresql',
        PROTEAN_EVENT_STORE__DATABASE_URI: 'postgresql://localhost:5432/bookshelf',
      }),
    ).toBeUndefined();
    expect(
      problemWith({
        PROTEAN_EVENT_PROCESSING: 'async',
        PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_TYPE: 'stream',
        PROTEAN_EVENT_STORE__PROVIDER: 'postgresql',
        PROTEAN_EVENT_STORE__DATABASE_URI: 'postgresql://localhost:5432/bookshelf',
      }),
    ).toContain('brokers.default.provider = "inline"');
  });

  it('accepts sync processing, a redis broker, or workers reading a postgresql event store', () => {
    expect(problemWith({})).toBeUndefined();
    const redis = {
      PROTEAN_COMMAND_PROCESSING: 'async',
      PROTEAN_BROKERS__DEFAULT__PROVIDER: 'redis',
      PROTEAN_BROKERS__DEFAULT__URI: 'redis://localhost:6379/0',
    };
    expect(problemWith(redis)).toBeUndefined();
    const eventStore = {
      PROTEAN_EVENT_PROCESSING: 'async',
      PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_TYPE: 'event_store',
      PROTEAN_EVENT_STORE__PROVIDER: 'postgresql',
      PROTEAN_EVENT_STORE__DATABASE_URI: 'postgresql://localhost:5432/bookshelf',
    };
    expect(problemWith(eventStore)).toBeUndefined();
  });
});

describe('workerDeliveryProblem', () => {
  const worker = (env: Record<string, string>, plan: WorkerSubscription[]) =>
    workerDeliveryProblem(loadConfiguration({ env }), plan);
  const handler = (type: 'stream' | 'event_store'): WorkerSubscription => ({
    handler: 'PlaceOrderHandler',
    type,
    broker: 'default',
  });
  const redis = {
    PROTEAN_BROKERS__DEFAULT__PROVIDER: 'redis',
    PROTEAN_BROKERS__DEFAULT__URI: 'redis://localhost:6379/0',
  };
  const postgresStore = {
    PROTEAN_EVENT_STORE__PROVIDER: 'postgresql',
    PROTEAN_EVENT_STORE__DATABASE_URI: 'postgresql://localhost:5432/bookshelf',
  };

  it('refuses event_store on a memory event store, naming the default type, the store and the fix', () => {
    const line = worker(redis, [handler('event_store')]);
    expect(line).toContain('server.default_subscription_type = "event_store" (the default)');
    expect(line).toContain('event_store.provider = "memory"');
    expect(line).toContain('PlaceOrderHandler');
    expect(line).toContain('event_store.provider = "postgresql"');
    expect(line).not.toContain('\n');
  });

  it('names the key that chose event_store: a profile, or a handler section', () => {
    expect(
      worker({ ...redis, PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_PROFILE: 'projection' }, [
        handler('event_store'),
      ]),
    ).toContain('server.default_subscription_profile = "projection"');
    expect(
      worker(
        {
          ...redis,
          PROTEAN_SERVER__SUBSCRIPTIONS__PLACEORDERHANDLER__SUBSCRIPTION_TYPE: 'event_store',
        },
        [handler('event_store')],
      ),
    ).toContain('server.subscriptions.');
  });

  it('refuses stream on an inline broker, for handlers and subscribers alike', () => {
    const line = worker({ ...postgresStore, PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_TYPE: 'stream' }, [
      handler('stream'),
    ]);
    expect(line).toContain('server.default_subscription_type = "stream"');
    expect(line).toContain('brokers.default.provider = "inline"');
    expect(line).toContain('provider = "redis"');
    expect(line).not.toContain('\n');
    const subscriber = worker(postgresStore, [
      { handler: 'ExternalOrdersSubscriber', type: 'stream', broker: 'default', external: true },
    ]);
    expect(subscriber).toContain('subscriber ExternalOrdersSubscriber');
    expect(subscriber).toContain('brokers.default.provider = "inline"');
  });

  it('accepts event_store on a postgresql event store and stream on redis', () => {
    expect(worker({ ...postgresStore, ...redis }, [handler('event_store')])).toBeUndefined();
    expect(worker(redis, [handler('stream')])).toBeUndefined();
    expect(worker({}, [])).toBeUndefined();
  });
});
