import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { debugLogLevel, logSettingsOrExit } from '../../observability/logging/log-settings.js';
import { ProteanLoggerModule } from '../../observability/logging/protean-logger.module.js';
import { ProteanModule } from '../../../runtime/protean.module.js';
import { runWorker } from '../../worker/run-worker.js';
import { WorkerSupervisor } from '../../../runtime/server/worker-supervisor.js';
import type { CliContext } from '../cli-command.js';

/** `protean server`'s options. */
export interface ServerOptions {
  workers?: number;
  profile?: string;
  handlers?: string[];
  exclude?: string[];
}

/** The module `server` boots: ProteanModule and the project's domain (`runWorker` adds the worker's). */
@Module({})
class ServerApplicationModule {}

/** Runs the engine in this process, or supervises `options.workers` copies of this command. */
export async function runServer(context: CliContext, options: ServerOptions): Promise<void> {
  const server = {
    ...(options.profile ? { default_subscription_profile: options.profile } : {}),
    ...(options.handlers ? { handlers: options.handlers } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
  };
  const config = await context.config(Object.keys(server).length > 0 ? { server } : {});
  if (options.workers) {
    const command = context.argv.filter(
      (arg, i, all) =>
        arg !== '--workers' && all[i - 1] !== '--workers' && !arg.startsWith('--workers='),
    );
    await logThroughPino(config);
    const code = await new WorkerSupervisor({
      workers: options.workers,
      command,
      healthPort: config.server.health.port,
      graceSeconds: config.server.shutdown_grace_seconds,
    }).run();
    if (code !== 0) process.exit(code);
    return;
  }
  await runWorker(
    {
      module: ServerApplicationModule,
      imports: [
        ProteanModule.forRoot({ domain: context.domain, config }),
        ...(await context.modules()),
      ],
    },
    config,
  );
  await new Promise(() => undefined); // runs until a signal closes it
}

/**
 * The supervisor logs as its workers do (pino: JSON stays JSON, pretty stays pretty), through
 * Nest's static `Logger`, which `useLogger` points at pino.
 */
async function logThroughPino(config: { readonly debug: boolean }): Promise<void> {
  const logging = logSettingsOrExit({ name: 'protean-worker', ...debugLogLevel(config) });
  const logs = await NestFactory.createApplicationContext(ProteanLoggerModule.forRoot(logging), {
    bufferLogs: true,
    abortOnError: false,
  });
  logs.useLogger(logs.get(Logger));
}
