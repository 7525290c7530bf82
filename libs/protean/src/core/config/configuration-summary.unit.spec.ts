import { resolve } from 'node:path';
import { configurationSummary } from './configuration-summary.js';
import { loadConfiguration } from './load-configuration.js';

const CHAPTER_TOML = resolve('test/fixtures/chapter-domain.toml');

describe('configurationSummary', () => {
  it('names every store, the broker and the processing modes, with the source of each', () => {
    const config = loadConfiguration({
      env: {
        PROTEAN_DATABASES__DEFAULT__DATABASE_URI: 'postgresql://shop:s3cret@db:5432/bookshelf',
        PROTEAN_EVENT_PROCESSING: 'sync',
      },
      file: CHAPTER_TOML,
      settings: { commandProcessing: 'sync' },
    });
    const line = configurationSummary(config);
    expect(line).toBe(
      'Protean configuration: ' +
        'database postgresql at postgresql://shop:***@db:5432/bookshelf (file+env), ' +
        'event store memory (file), ' +
        'broker default redis at redis://localhost:6379/0 (file), ' +
        'commands async (file), events sync (env)',
    );
    expect(line).not.toContain('s3cret');
  });

  it('says default for what no source set, settings and overrides for theirs', () => {
    const config = loadConfiguration({
      embedded: true,
      settings: { eventStore: { provider: 'postgresql' } },
      overrides: { command_processing: 'async' },
    });
    expect(configurationSummary(config)).toBe(
      'Protean configuration: database memory (default), ' +
        'event store postgresql (shares databases.default) (settings), ' +
        'broker default inline (default), commands async (overrides), events sync (default)',
    );
  });

  it('names a cluster by its nodes, and hides the password of a cluster URI', () => {
    const env = (keys: Record<string, string>) =>
      configurationSummary(
        loadConfiguration({ env: { PROTEAN_BROKERS__DEFAULT__PROVIDER: 'redis', ...keys } }),
      );
    expect(env({ PROTEAN_BROKERS__DEFAULT__NODES: 'h1:7000,h2:7001' })).toContain(
      'broker default redis at redis+cluster://h1:7000,h2:7001 (env)',
    );
    expect(
      env({ PROTEAN_BROKERS__DEFAULT__URI: 'redis+cluster://app:s3cret@h1:7000,h2:7001' }),
    ).toContain('broker default redis at redis+cluster://app:***@h1:7000,h2:7001 (env)');
  });
});
