import type { Server } from 'node:http';
import { ValidationPipe, type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { type ProteanConfig } from 'nestjs-protean';
import { resolveLogSettings, type LogSettings } from 'nestjs-protean/observability';
import { connectProteanEngine } from 'nestjs-protean/server';
import { ApiModule } from './api.module.js';
import { DomainErrorFilter } from './http/domain-error.filter.js';
import { untrustedJsonBody } from './http/untrusted-json-body.js';

export interface ApiAppOptions {
  /** Run the server engine in this process too (the embedded default); start it with `app.startAllMicroservices()`. */
  engine?: boolean;
  /** Largest accepted JSON body (body-parser syntax); larger bodies answer 413. */
  bodyLimit?: string;
  /** How to log (default: from LOG_LEVEL / LOG_FORMAT / NODE_ENV). */
  logging?: LogSettings;
  /** Another logger for Nest's own lines, or `false`: nothing logged at all (tests). */
  logger?: LoggerService | false;
}

/** Builds the HTTP application, configured exactly as `main.ts` runs it (tests use this too). */
export async function createApiApp(
  config: ProteanConfig,
  options: ApiAppOptions = {},
): Promise<INestApplication> {
  const logging =
    options.logger === false
      ? { ...resolveLogSettings(), level: 'silent' as const }
      : options.logging;
  const app = await NestFactory.create<NestExpressApplication>(
    ApiModule.register(config, { engine: options.engine, logging }),
    {
      bodyParser: false,
      abortOnError: false,
      bufferLogs: options.logger === undefined,
      logger: options.logger,
    },
  );
  if (options.logger === undefined) app.useLogger(app.get(Logger));
  app.useBodyParser('json', untrustedJsonBody(options.bodyLimit ?? '100kb'));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: true,
      transformOptions: { enableImplicitConversion: false },
    }),
  );
  app.useGlobalFilters(new DomainErrorFilter());
  if (options.engine) connectProteanEngine(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Bookshelf API')
      .setDescription('The bookshelf domain on Protean for Nest')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  keepConnectionsLonger(app);
  return app;
}

/**
 * Idle keep-alive connections are closed after 65 s rather than Node's 5 s: a client (or a load
 * balancer, which typically idles 60 s) that reuses a connection just as the server closes it
 * gets a socket error for a request the server never saw — a non-idempotent `POST` that the
 * client cannot safely retry. Seen under load on shared cores, where the client's own idle
 * timer fires late (fault scenario 9: `UND_ERR_SOCKET`). Headers must arrive within 66 s,
 * above the keep-alive, as Node advises.
 */
function keepConnectionsLonger(app: INestApplication): void {
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}
