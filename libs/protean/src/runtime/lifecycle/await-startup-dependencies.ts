import { setTimeout as sleep } from 'node:timers/promises';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { createBroker } from '../../adapters/brokers/create-broker.js';
import { BrokerRefusedError } from '../../ports/broker/broker-refused.error.js';
import { DATABASE_DEFAULTS, type ProteanConfig } from '../../core/config/config.schema.js';
import { ConfigurationError } from '../../core/config/configuration.error.js';
import { ProteanError } from '../../core/errors/protean.error.js';
import { DatabaseMissingError } from '../../adapters/postgresql/database-missing.error.js';
import { runMigrations } from '../../adapters/postgresql/schema/migrate-postgres.js';
import { missingMigrations } from '../../adapters/postgresql/schema/missing-migrations.js';
import {
  migratedLine,
  schemaTargets,
  type SchemaTarget,
} from '../../adapters/postgresql/schema/schema-setup.js';
import { isPostgresOutage } from '../../adapters/postgresql/translate-postgres-error.js';
import { backoffDelay } from '../../core/async/exponential-backoff.js';
import { EXIT_CONFIG, EXIT_UNAVAILABLE } from '../../core/exit-codes.js';
import { messageOf } from '../../core/errors/error-message.js';
import { StartupTimeoutError } from './startup-timeout.error.js';

const RETRY = { baseMs: 250, maxMs: 5000, jitter: 0 };

/**
 * What a worker or an API needs before it serves, checked once at start:
 * - every PostgreSQL database of the configuration exists (otherwise a
 *   {@link ConfigurationError} naming its `database_uri` key and what to do) and has the
 *   Protean schema: a missing or outdated one is migrated under the migrations' advisory lock
 *   (so processes starting together apply it once), `log` hearing one line naming what was
 *   applied — or, with `databases.default.auto_migrate = false`, a {@link ConfigurationError}
 *   naming `npx protean db setup`;
 * - an outage (refused, timed out, starting up) is waited out for
 *   `databases.default.startup_timeout_seconds`, then a {@link StartupTimeoutError};
 * - no Redis broker refuses the configuration (credentials, TLS, database index); one that is
 *   merely down is left to the adapters' reconnection.
 * `log` hears one line when the wait begins.
 */
export async function awaitStartupDependencies(
  config: ProteanConfig,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  const timeoutSeconds =
    config.databases.default.startup_timeout_seconds ?? DATABASE_DEFAULTS.startup_timeout_seconds;
  const autoMigrate = config.databases.default.auto_migrate;
  for (const target of schemaTargets(config)) {
    await awaitSchema(target, { timeoutSeconds, autoMigrate }, log);
  }
  await refuseRefusedBrokers(config);
}

/** {@link awaitStartupDependencies}, ending the process with one line and 78 or 69 on failure. */
export async function awaitStartupDependenciesOrExit(config: ProteanConfig): Promise<void> {
  const line = (text: string) => process.stderr.write(`${text}\n`);
  // The adapters' own log lines would repeat the one line below in another format; the
  // application's logger (pino) is not set up yet.
  Logger.overrideLogger(false);
  try {
    await awaitStartupDependencies(config, line);
  } catch (error) {
    if (!(error instanceof ProteanError)) throw error;
    line(error instanceof ConfigurationError ? error.message : `Cannot start: ${error.message}`);
    process.exit(error instanceof ConfigurationError ? EXIT_CONFIG : EXIT_UNAVAILABLE);
  } finally {
    Logger.overrideLogger(new ConsoleLogger());
  }
}

async function awaitSchema(
  target: SchemaTarget,
  { timeoutSeconds, autoMigrate }: { timeoutSeconds: number; autoMigrate: boolean },
  log: (line: string) => void,
): Promise<void> {
  const key = `${target.roles[0]}.database_uri`;
  const connection = target.open();
  const deadline = Date.now() + timeoutSeconds * 1000;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const missing = await missingMigrations(connection, target.migrations);
        if (missing.length === 0) return;
        if (!autoMigrate) {
          throw new ConfigurationError(
            key,
            `PostgreSQL at ${connection.target} lacks the Protean schema (${missing.join(', ')} ` +
              'not applied) and databases.default.auto_migrate = false; run `npx protean db setup`',
          );
        }
        const applied = await runMigrations(connection, target.migrations);
        // Another process starting beside this one may have applied them first.
        if (applied.length > 0) log(migratedLine(connection.target, target.roles, applied));
        return;
      } catch (error) {
        if (error instanceof DatabaseMissingError) throw new ConfigurationError(key, error.message);
        if (!isPostgresOutage(error)) throw error;
        const remaining = deadline - Date.now();
        const reason = messageOf(error);
        if (remaining <= 0) {
          throw new StartupTimeoutError(
            `${reason} (still, after waiting ${timeoutSeconds} s: ` +
              'databases.default.startup_timeout_seconds)',
          );
        }
        if (attempt === 1) log(`${reason}; waiting up to ${timeoutSeconds} s for it`);
        await sleep(Math.min(backoffDelay(RETRY, attempt), remaining));
      }
    }
  } finally {
    await connection.close();
  }
}

async function refuseRefusedBrokers(config: ProteanConfig): Promise<void> {
  const checks = Object.entries(config.brokers)
    .filter(([, settings]) => settings.provider !== 'inline')
    .map(async ([name, settings]) => {
      const broker = createBroker(name, settings);
      try {
        await broker.ping();
      } catch (error) {
        if (error instanceof BrokerRefusedError) throw error;
      } finally {
        await broker.close();
      }
    });
  await Promise.all(checks);
}
