import type {
  DynamicModule,
  INestApplication,
  INestMicroservice,
  NestApplicationOptions,
  Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { ProteanEngine } from './protean-engine.js';
import { ProteanServer } from './protean-server.js';
import { WorkerEndpoints } from './worker-endpoints.js';

/**
 * Creates the worker: `NestFactory.createMicroservice(module, { strategy: new ProteanServer() })`
 * with the server bound to the engine of the new application. Call `listen()` to start it.
 */
export async function createProteanWorker(
  module: Type | DynamicModule,
  options: Pick<NestApplicationOptions, 'logger' | 'abortOnError' | 'bufferLogs'> & {
    healthPort?: number;
  } = {},
): Promise<INestMicroservice> {
  const { healthPort, ...nestOptions } = options;
  const server = new ProteanServer({ healthPort });
  const app = await NestFactory.createMicroservice(module, { ...nestOptions, strategy: server });
  server.bind(app.get(ProteanEngine), app.get(WorkerEndpoints));
  return app;
}

/**
 * Runs the engine inside an HTTP application (one process for API and worker, as `npm start`
 * does): connects a bound `ProteanServer` as a hybrid microservice. Start it with
 * `app.startAllMicroservices()`.
 */
export function connectProteanEngine(app: INestApplication): ProteanServer {
  const server = new ProteanServer().bind(app.get(ProteanEngine));
  app.connectMicroservice({ strategy: server });
  return server;
}
