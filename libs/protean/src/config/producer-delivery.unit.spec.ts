import { loadConfiguration } from './load-configuration.js';
import { producerOnlyDeliveryProblem } from './producer-delivery.js';

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
