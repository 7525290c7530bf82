import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../../apps/bookshelf-api/src/create-api-app.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { loadConfiguration, setupSchema } from 'nestjs-protean';

/**
 * Issue 12 §4: every query and path parameter of the API, on PostgreSQL (where an out-of-range
 * number or a NUL byte reaches the driver): 400 naming the parameter or 404, never 500.
 */
describe('bookshelf API parameters on PostgreSQL', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    db = await createTestDatabase('api_parameters');
    const config = loadConfiguration({
      embedded: true,
      overrides: { databases: { default: { provider: 'postgresql', database_uri: db.uri } } },
    });
    await setupSchema(config);
    app = await createApiApp(config, { logger: false });
    await app.init();
    http = request(app.getHttpServer());
    await http.post('/books').send({ title: 'Dune', author: 'F', price: 1, stock: 1 }).expect(201);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it.each([
    ['offset', '100000000000000000000'],
    ['offset', '9007199254740992'],
    ['offset', '-1'],
    ['offset', '1.5'],
    ['offset', 'abc'],
    ['offset', 'Infinity'],
    ['limit', '100000000000000000000'],
    ['limit', '0'],
    ['limit', '-5'],
    ['limit', '1e20'],
    ['limit', 'NaN'],
  ])('GET /books?%s=%s answers 400 naming the parameter', async (name, value) => {
    const response = await http.get(`/books?${name}=${value}`);
    expect({ status: response.status, message: String(response.body.message) }).toEqual({
      status: 400,
      message: expect.stringContaining(name),
    });
  });

  it('accepts the largest offset and an ordinary page', async () => {
    await http.get(`/books?offset=${Number.MAX_SAFE_INTEGER}`).expect(200, []);
    expect((await http.get('/books?limit=1&offset=0').expect(200)).body).toHaveLength(1);
  });

  it.each(['books', 'orders'])(
    'GET /%s/:id answers 404 for any id that is no UUID, 400 for one that is no UTF-8',
    async (route) => {
      const cases: Array<[string, number]> = [
        ['nope', 404],
        ['%00', 404],
        ['a%00b', 404],
        ['%EF%BF%BF', 404],
        ['x'.repeat(5000), 404],
        ['1e400', 404],
        ['-1', 404],
        ['00000000-0000-4000-8000-000000000000', 404],
        ['%C0%AF', 400],
      ];
      for (const [id, status] of cases) {
        const response = await http.get(`/${route}/${id}`);
        expect({ id: id.slice(0, 20), status: response.status }).toEqual({
          id: id.slice(0, 20),
          status,
        });
      }
    },
  );
});
