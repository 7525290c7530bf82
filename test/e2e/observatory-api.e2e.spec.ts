import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../../apps/bookshelf-api/src/create-api-app.js';
import {
  BROKER_REGISTRY,
  loadConfiguration,
  type BrokerLookup,
  type StreamBroker,
} from 'nestjs-protean';

/**
 * The Observatory's JSON API on the embedded default (sync, inline broker, memory stores):
 * dead letters listed without payloads, inspected with them, replayed and purged; bad
 * requests named; a trail from the event store.
 */
describe('Observatory API', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let broker: StreamBroker;

  const provenance = (error: string) => ({
    originalId: '1-0',
    group: 'CatalogProjector',
    consumer: 'test',
    error,
    attempts: 4,
    failedAt: new Date().toISOString(),
  });
  const envelope = {
    id: 'b9c2f0de-0000-4000-8000-000000000001',
    type: 'bookshelf.BookAdded.v1',
    stream: 'bookshelf::book-1',
    kind: 'EVENT',
    payload: { bookId: '1', title: 'Secret title' },
    metadata: {
      correlationId: 'req-42',
      causationId: 'req-42',
      time: '2026-01-01T00:00:00.000Z',
      version: 1,
      headers: {},
    },
  };

  beforeEach(async () => {
    app = await createApiApp(loadConfiguration({ embedded: true }), { logger: false });
    await app.init();
    http = request(app.getHttpServer());
    broker = app.get<BrokerLookup<StreamBroker>>(BROKER_REGISTRY).get('default');
  });

  afterEach(() => app.close());

  it('lists dead letters with their provenance and message identity, never the payload', async () => {
    await broker.deadLetter('bookshelf::book', JSON.stringify(envelope), provenance('boom'));
    const list = await http.get('/observatory/api/dead-letters').expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({
        broker: 'default',
        stream: 'bookshelf::book',
        group: 'CatalogProjector',
        attempts: 4,
        error: 'boom',
        message: expect.objectContaining({ id: envelope.id, correlationId: 'req-42' }),
      }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain('Secret title');

    const { id } = list.body[0];
    const inspected = await http
      .get('/observatory/api/dead-letters/inspect')
      .query({ broker: 'default', stream: 'bookshelf::book', id })
      .expect(200);
    expect(inspected.body.data.payload.title).toBe('Secret title');
  });

  it('replays a dead letter back to its stream, once', async () => {
    const id = await broker.deadLetter(
      'bookshelf::book',
      JSON.stringify(envelope),
      provenance('boom'),
    );
    const before = (await broker.streamInfo('bookshelf::book')).length;
    const ref = { broker: 'default', stream: 'bookshelf::book', id };
    await http
      .post('/observatory/api/dead-letters/replay')
      .send(ref)
      .expect(200, { replayed: true });
    expect((await broker.streamInfo('bookshelf::book')).length).toBe(before + 1);
    expect(await broker.listDeadLetters('bookshelf::book')).toEqual([]);
    await http.post('/observatory/api/dead-letters/replay').send(ref).expect(404);
  });

  it('purges the dead letters of one stream', async () => {
    await broker.deadLetter('bookshelf::book', '{}', provenance('a'));
    await broker.deadLetter('bookshelf::book', '{}', provenance('b'));
    await broker.deadLetter('external-orders', 'not json', provenance('c'));
    await http
      .post('/observatory/api/dead-letters/purge')
      .send({ broker: 'default', stream: 'bookshelf::book' })
      .expect(200, { purged: 2 });
    const left = await http.get('/observatory/api/dead-letters').expect(200);
    expect(left.body).toEqual([
      expect.objectContaining({ stream: 'external-orders', message: null }),
    ]);
  });

  it('purges every stream only when asked with "all": true; an empty or missing stream is a 400', async () => {
    await broker.deadLetter('bookshelf::book', '{}', provenance('a'));
    await broker.deadLetter('external-orders', 'not json', provenance('b'));
    const purge = (body: object) => http.post('/observatory/api/dead-letters/purge').send(body);
    const refused: Array<[object, string]> = [
      [{ broker: 'default', stream: '' }, '"stream" is empty: name a stream'],
      [{ broker: 'default', stream: ' ' }, '"stream" is empty: name a stream'],
      [{ broker: 'default' }, 'or give "all": true to act on every stream'],
      [{ broker: 'default', stream: 'x', all: true }, 'not both'],
      [{ broker: 'default', all: false }, 'all must be true when given'],
    ];
    for (const [body, message] of refused) {
      const response = await purge(body).expect(400);
      expect(String(response.body.message)).toContain(message);
    }
    expect((await http.get('/observatory/api/dead-letters').expect(200)).body).toHaveLength(2);
    await http.get('/observatory/api/dead-letters').query({ stream: '' }).expect(400);

    await purge({ broker: 'default', all: true }).expect(200, { purged: 2 });
    expect((await http.get('/observatory/api/dead-letters').expect(200)).body).toEqual([]);
  });

  it('answers 404 for a dead letter id out of range, 400 for a malformed one', async () => {
    const ref = { broker: 'default', stream: 'bookshelf::book' };
    await http
      .get('/observatory/api/dead-letters/inspect')
      .query({ ...ref, id: '99999999999999999999999-0' })
      .expect(404);
    await http
      .post('/observatory/api/dead-letters/replay')
      .send({ ...ref, id: '18446744073709551616-0' })
      .expect(404);
    await http
      .get('/observatory/api/dead-letters/inspect')
      .query({ ...ref, id: '1-' })
      .expect(400);
  });

  it('answers 409 for a dead letter with nothing to replay, 400 naming a bad field, 404 for an unknown broker', async () => {
    const id = await broker.deadLetter('external-orders', undefined, provenance('no data'));
    const conflict = await http
      .post('/observatory/api/dead-letters/replay')
      .send({ broker: 'default', stream: 'external-orders', id })
      .expect(409);
    expect(conflict.body.message).toContain('cannot be replayed');

    const bad = await http
      .post('/observatory/api/dead-letters/replay')
      .send({ broker: 'default', stream: 'external-orders', id: 'DROP TABLE' })
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('id must be a stream entry id');
    await http
      .post('/observatory/api/dead-letters/purge')
      .send({ broker: 'default', stream: 'x', extra: 1 })
      .expect(400);
    await http.get('/observatory/api/dead-letters').query({ broker: 'elsewhere' }).expect(404);
    await http.get('/observatory/api/trail').query({ correlationId: 'a b' }).expect(400);
  });

  it('traces a request through the events it caused (sync, memory event store)', async () => {
    const added = await http
      .post('/books')
      .set('x-correlation-id', 'trace-me-1')
      .send({ title: 'Dune', author: 'F. H.', price: 9, stock: 1 })
      .expect(201);
    const trail = await http
      .get('/observatory/api/trail')
      .query({ correlationId: 'trace-me-1' })
      .expect(200);
    expect(trail.body).toMatchObject({
      correlationId: 'trace-me-1',
      count: 1,
      roots: [
        {
          message: {
            kind: 'EVENT',
            type: 'bookshelf.BookAdded.v1',
            stream: `bookshelf::book-${added.body.id}`,
            // the sync command, which no store keeps: the event is a root of the trail
            causationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          },
          children: [],
        },
      ],
    });
    expect(trail.body.sources).toContain('event store (this process)');
    expect(trail.body.notes.join(' ')).toContain('memory database');
  });
});
