/*
 * BENCH-ONLY process: one event to five handlers, N events published in this process, timed
 * until all 5 × N deliveries; prints `{"delivered", "ms"}`.
 *
 *   node fanout.process.js <protean|nest-redis> <redis uri> <events>
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { Redis } from 'ioredis';
import { lastValueFrom } from 'rxjs';
import { loadConfiguration, ProteanModule, ProteanEngine } from 'nestjs-protean';
import { BENCH_DOMAIN, PING_STREAM, pingEnvelope } from '../consume/bench-domain.js';
import {
  deliveries,
  NestRedisFanOutModule,
  PINGED_PATTERN,
  ProteanFanOutModule,
} from './fanout-handlers.js';
import { runProcess } from '../support/run-process.js';

const HANDLERS = 5;
const TIMEOUT_MS = 60_000;

/** Resolves when every delivery arrived, or after the deadline (Pub/Sub may lose some). */
function allDelivered(events: number): Promise<void> {
  deliveries.target = events * HANDLERS;
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, TIMEOUT_MS);
    deliveries.reached = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

/** Ours: the engine's five subscriptions; events published as the outbox relay does (XADD). */
async function protean(uri: string, events: number) {
  const config = loadConfiguration({
    embedded: true,
    overrides: {
      event_processing: 'async',
      brokers: { default: { provider: 'redis', uri } },
      server: {
        default_subscription_type: 'stream', // it measures broker streams
        default_subscription_profile: 'production',
        retention_maxlen: 0,
      },
    },
  });
  const app = await NestFactory.createApplicationContext(
    {
      module: ProteanFanOutModule,
      imports: [ProteanModule.forRoot({ domain: BENCH_DOMAIN, config })],
    },
    { logger: ['error', 'warn'] },
  );
  const engine = app.get(ProteanEngine);
  await engine.start();
  const publisher = new Redis(uri);
  const done = allDelivered(events);
  const started = performance.now();
  for (let start = 0; start < events; start += 100) {
    const pipeline = publisher.pipeline();
    for (let n = start; n < Math.min(events, start + 100); n++) {
      pipeline.xadd(PING_STREAM, '*', 'data', pingEnvelope(n, 1000));
    }
    await pipeline.exec();
  }
  await done;
  const ms = performance.now() - started;
  publisher.disconnect();
  await engine.stop();
  await app.close();
  return { delivered: deliveries.value, ms };
}

/** Nest's Redis transport: Pub/Sub, at most once, nothing kept. */
async function nestRedis(uri: string, events: number) {
  const { hostname: host, port } = new URL(uri);
  const options = { host, port: Number(port) };
  const server = await NestFactory.createMicroservice(NestRedisFanOutModule, {
    transport: Transport.REDIS,
    options,
    logger: ['error', 'warn'],
  });
  await server.listen();
  const client: ClientProxy = ClientProxyFactory.create({ transport: Transport.REDIS, options });
  await client.connect();
  const done = allDelivered(events);
  const started = performance.now();
  for (let start = 0; start < events; start += 100) {
    const sends = [];
    for (let n = start; n < Math.min(events, start + 100); n++) {
      sends.push(
        lastValueFrom(client.emit(PINGED_PATTERN, JSON.parse(pingEnvelope(n, 1000))), {
          defaultValue: undefined,
        }),
      );
    }
    await Promise.all(sends);
  }
  await done;
  const ms = performance.now() - started;
  await client.close();
  await server.close();
  return { delivered: deliveries.value, ms };
}

async function main(): Promise<void> {
  const [contender, uri, eventsArg] = process.argv.slice(2);
  const events = Number(eventsArg);
  const result =
    contender === 'protean' ? await protean(uri, events) : await nestRedis(uri, events);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

runProcess(main);
