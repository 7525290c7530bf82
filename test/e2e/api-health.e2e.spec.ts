import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../../apps/bookshelf-api/src/create-api-app.js';
import { loadConfiguration, ShutdownState } from 'nestjs-protean';
import { freePort } from '../support/processes.js';

describe('API health with its broker down', () => {
  async function readiness(overrides: Record<string, unknown>) {
    const uri = `redis://127.0.0.1:${await freePort()}`; // nobody listens there
    const config = loadConfiguration({
      embedded: true,
      overrides: {
        command_processing: 'async',
        event_processing: 'async',
        brokers: {
          default: { provider: 'redis', uri, connect_timeout_ms: 500, command_timeout_ms: 500 },
        },
        ...overrides,
      },
    });
    const app = await createApiApp(config, { logger: false });
    await app.init();
    try {
      return await request(app.getHttpServer()).get('/health/ready');
    } finally {
      await app.close();
    }
  }

  it('stays ready when it writes to the outbox (the workers publish), reporting the broker degraded', async () => {
    const ready = await readiness({ enable_outbox: true });
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.details['broker:default']).toMatchObject({
      status: 'degraded',
      note: 'not needed by this process to accept work',
    });
  });

  it('is not ready when it publishes directly (async without the outbox)', async () => {
    const ready = await readiness({ enable_outbox: false });
    expect(ready.status).toBe(503);
    expect(ready.body.error['broker:default'].status).toBe('down');
  });
});

/** Issue 8: /health (everything, outbox backlog included), /health/ready and /health/live. */
describe('API health', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    // Async through the outbox, with no engine here: a POST leaves a row waiting.
    const config = loadConfiguration({
      embedded: true,
      overrides: {
        command_processing: 'async',
        event_processing: 'async',
        enable_outbox: true,
        server: { health: { outbox_max_backlog: 0 } },
      },
    });
    app = await createApiApp(config, { logger: false });
    await app.init();
    http = request(app.getHttpServer());
  });

  afterAll(() => app.close());

  it('reports every dependency up and the outbox up while nothing waits', async () => {
    const health = await http.get('/health').expect(200);
    expect(health.body.status).toBe('ok');
    expect(Object.keys(health.body.details).sort()).toEqual([
      'broker:default',
      'database',
      'event_store',
      'lifecycle',
      'outbox',
    ]);
    expect(health.body.details.outbox).toMatchObject({ status: 'up', backlog: 0 });
  });

  it('reports the outbox degraded above its backlog limit, still answering 200', async () => {
    await http
      .post('/books')
      .send({ title: 'Waiting', author: 'A', price: 1, stock: 1 })
      .expect(202);
    const health = await http.get('/health').expect(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.details.outbox).toMatchObject({ status: 'degraded', backlog: 1 });
    expect(health.body.details.outbox.oldestPendingAgeSeconds).toEqual(expect.any(Number));

    const ready = await http.get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.details).not.toHaveProperty('outbox');
  });

  it('turns readiness down the moment shutdown begins; liveness stays up', async () => {
    await http.get('/health/ready').expect(200);
    ShutdownState.begin();
    const ready = await http.get('/health/ready').expect(503);
    expect(ready.body.error.lifecycle).toEqual({ status: 'down', message: 'shutting down' });
    await http.get('/health').expect(503);
    await http.get('/health/live').expect(200);
  });
});
