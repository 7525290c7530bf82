import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../../apps/bookshelf-api/src/create-api-app.js';
import {
  BROKER_REGISTRY,
  loadConfiguration,
  type BrokerLookup,
  type StreamBroker,
} from 'nestjs-protean';
import { eventually } from 'nestjs-protean/testing';

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
    expect(list.body.next).toBeNull();
    expect(list.body.letters).toEqual([
      expect.objectContaining({
        broker: 'default',
        stream: 'bookshelf::book',
        group: 'CatalogProjector',
        attempts: 4,
        error: 'boom',
        message: expect.objectContaining({ id: envelope.id, correlationId: 'req-42' }),
        // What it is, by the names of its fields: the values only an inspect shows.
        summary: 'bookshelf::book-1 · { bookId, title }',
      }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain('Secret title');

    const { id } = list.body.letters[0];
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
    expect(left.body.letters).toEqual([
      expect.objectContaining({
        stream: 'external-orders',
        message: null,
        summary: 'text, 8 bytes, not JSON',
      }),
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
    expect((await http.get('/observatory/api/dead-letters').expect(200)).body.letters).toHaveLength(
      2,
    );
    await http.get('/observatory/api/dead-letters').query({ stream: '' }).expect(400);

    await purge({ broker: 'default', all: true }).expect(200, { purged: 2 });
    expect((await http.get('/observatory/api/dead-letters').expect(200)).body.letters).toEqual([]);
  });

  describe('at operator scale', () => {
    const list = (query: object) =>
      http
        .get('/observatory/api/dead-letters')
        .query(query)
        .expect(200)
        .then(
          (r) =>
            r.body as {
              letters: Array<{ id: string; stream: string; error: string; group: string }>;
              next: string | null;
            },
        );
    const count = (query: object) =>
      http
        .get('/observatory/api/dead-letters/count')
        .query(query)
        .expect(200)
        .then((r) => r.body as { count: number; complete: boolean });
    const bulk = (body: object) => http.post('/observatory/api/dead-letters/bulk').send(body);

    /** 300 letters on two streams, of two handlers, every third a timeout. */
    async function seed(): Promise<string[]> {
      const ids: string[] = [];
      for (let n = 0; n < 300; n++) {
        const stream = n % 2 === 0 ? 'bookshelf::book' : 'bookshelf::order';
        const error = n % 3 === 0 ? `Timeout after ${n} ms` : `boom ${n}`;
        const letter = { ...provenance(error), group: n % 5 === 0 ? 'Mailer' : 'CatalogProjector' };
        ids.push(
          await broker.deadLetter(stream, JSON.stringify({ ...envelope, id: `m-${n}` }), letter),
        );
      }
      return ids;
    }

    it('pages through 300 dead letters, each once and oldest first, and filters by stream, handler, error text and time', async () => {
      const ids = await seed();
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await list({ limit: 40, ...(after ? { after } : {}) });
        expect(page.letters.length).toBeLessThanOrEqual(40);
        seen.push(...page.letters.map((l) => l.id));
        after = page.next ?? undefined;
      } while (after);
      expect(seen).toEqual(ids);

      const orders = await list({ stream: 'bookshelf::order', limit: 1000 });
      expect(orders.letters).toHaveLength(150);
      expect(orders.letters.every((l) => l.stream === 'bookshelf::order')).toBe(true);
      const mailer = await list({ handler: 'Mailer', error: 'TIMEOUT', limit: 1000 });
      expect(mailer.letters.map((l) => l.id)).toEqual(ids.filter((_, n) => n % 15 === 0));
      expect(await count({ handler: 'Mailer', error: 'timeout' })).toEqual({
        count: 20,
        complete: true,
      });
      expect(await count({})).toEqual({ count: 300, complete: true });

      const ms = (id: string) => Number(id.split('-')[0]);
      const iso = (id: string) => new Date(ms(id)).toISOString();
      const window = await list({ since: iso(ids[100]), until: iso(ids[199]), limit: 1000 });
      expect(window.letters.map((l) => l.id)).toEqual(
        ids.filter((id) => ms(id) >= ms(ids[100]) && ms(id) <= ms(ids[199])),
      );
    });

    it('replays and purges a filtered selection in batches, leaving the rest and later letters alone', async () => {
      const ids = await seed();
      const asOf = new Date().toISOString();
      const length = async (stream: string) => (await broker.streamInfo(stream)).length;
      const before = [await length('bookshelf::book'), await length('bookshelf::order')];
      // Dead-lettered after the operator confirmed (a later millisecond): not in the selection.
      while (Date.now() <= Date.parse(asOf)) await new Promise((resolve) => setImmediate(resolve));
      const late = await broker.deadLetter('bookshelf::book', '{}', provenance('boom, later'));
      let replayed = 0;
      let batches = 0;
      for (let after: string | undefined; ;) {
        const answer = await bulk({
          action: 'replay',
          all: true,
          handler: 'CatalogProjector',
          asOf,
          ...(after ? { after } : {}),
        }).expect(200);
        batches++;
        replayed += answer.body.done;
        if (!answer.body.next) break;
        after = answer.body.next;
      }
      expect([replayed, batches]).toEqual([240, 2]);
      expect([await length('bookshelf::book'), await length('bookshelf::order')]).toEqual([
        before[0] + 120,
        before[1] + 120,
      ]);
      const mailer = ids.filter((_, n) => n % 5 === 0);
      expect((await list({ limit: 1000 })).letters.map((l) => l.id)).toEqual([...mailer, late]);

      const purged = await bulk({
        action: 'purge',
        stream: 'bookshelf::book',
        error: 'timeout',
        asOf: new Date().toISOString(),
      }).expect(200);
      expect(purged.body).toEqual({ action: 'purge', done: 10, unreplayable: 0, next: null });
      expect((await list({ limit: 1000 })).letters.map((l) => l.id)).toEqual([
        ...ids.filter((_, n) => n % 5 === 0 && n % 30 !== 0),
        late,
      ]);
    });

    it('refuses a bulk action without a stream or "all", a bad cursor, and a bad time, naming the field', async () => {
      await seed();
      const asOf = new Date().toISOString();
      const refused: Array<[object, string]> = [
        [{ action: 'purge', asOf }, 'or give "all": true to act on every stream'],
        [{ action: 'purge', stream: '', asOf }, 'stream must name a stream'],
        [{ action: 'erase', all: true, asOf }, 'action must be "replay" or "purge"'],
        [{ action: 'purge', all: true }, 'asOf'],
        [{ action: 'purge', all: true, asOf, after: 'nonsense' }, 'after must be the next'],
      ];
      for (const [body, message] of refused) {
        const response = await bulk(body).expect(400);
        expect(String(response.body.message)).toContain(message);
      }
      await http.get('/observatory/api/dead-letters').query({ after: 'x' }).expect(400);
      await http.get('/observatory/api/dead-letters').query({ since: 'yesterday' }).expect(400);
      await http.get('/observatory/api/dead-letters').query({ limit: 1001 }).expect(400);
      expect((await count({})).count).toBe(300);
    });
  });

  it('keeps each handler’s throughput and lag for the last hour', async () => {
    const history = await eventually(
      async () => {
        const { body } = await http.get('/observatory/api/history').expect(200);
        const history = body as {
          intervalMs: number;
          points: number;
          subscriptions: { handler: string; points: unknown[] }[];
        };
        return history.subscriptions.length > 0 ? history : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50, what: 'the first sample of the history' },
    );
    expect(history).toMatchObject({ intervalMs: 10_000, points: 360 });
    const catalog = history.subscriptions.find((s) => s.handler === 'CatalogProjector')!;
    // The first point has no rate yet (a rate needs two samples); no group reads yet, no lag.
    expect(catalog.points).toEqual([[expect.any(Number), null, null]]);
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
