import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfigurationOrExit } from './bootstrap-configuration.js';

const ENV_EXAMPLE = resolve('.env.example');
const CHAPTER_TOML = resolve('test/fixtures/chapter-domain.toml');

/**
 * Runs the loading path of the API and the worker (`.env` through @nestjs/config, then
 * `./domain.toml`) in a fresh directory holding the chapter's production domain.toml and `env`.
 */
async function loadIn(env: { copyOf: string } | { text: string }) {
  const dir = mkdtempSync(join(tmpdir(), 'protean-dotenv-'));
  copyFileSync(CHAPTER_TOML, join(dir, 'domain.toml'));
  if ('copyOf' in env) copyFileSync(env.copyOf, join(dir, '.env'));
  else writeFileSync(join(dir, '.env'), env.text);
  const cwd = process.cwd();
  const saved = { ...process.env };
  for (const name of Object.keys(process.env))
    if (name.startsWith('PROTEAN_')) delete process.env[name];
  process.chdir(dir);
  try {
    return await loadConfigurationOrExit();
  } finally {
    process.chdir(cwd);
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

describe('loadConfigurationOrExit with a .env beside domain.toml', () => {
  it('lets a variable in .env override domain.toml (the file is really read)', async () => {
    const config = await loadIn({ text: 'PROTEAN_OUTBOX__TICK_INTERVAL=0.25\n' });
    expect(config.outbox.tick_interval).toBe(0.25);
    expect(config.databases.default.provider).toBe('postgresql');
  });

  it('keeps every key the production domain.toml sets when .env.example is copied verbatim', async () => {
    const config = await loadIn({ copyOf: ENV_EXAMPLE });
    expect(config.databases.default).toMatchObject({
      provider: 'postgresql',
      database_uri: 'postgresql://localhost:5432/bookshelf',
    });
    expect(config.brokers.default).toMatchObject({
      provider: 'redis',
      uri: 'redis://localhost:6379/0',
    });
    expect(config.event_store.provider).toBe('memory');
    expect(config.command_processing).toBe('async');
    expect(config.event_processing).toBe('async');
    expect(config.enable_outbox).toBe(true);
    expect(config.server.default_subscription_type).toBe('stream');
    expect(config.server.default_subscription_profile).toBe('production');
    expect(config.outbox).toMatchObject({
      broker: 'default',
      messages_per_tick: 10,
      tick_interval: 1,
    });
    expect(config.outbox.retry).toMatchObject({ max_attempts: 3, base_delay_seconds: 60 });
  });
});
