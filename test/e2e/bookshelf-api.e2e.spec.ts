import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../../apps/bookshelf-api/src/create-api-app.js';
import { loadConfiguration } from 'nestjs-protean';

describe('bookshelf API on the embedded default (sync)', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeEach(async () => {
    app = await createApiApp(loadConfiguration({ embedded: true }), { logger: false });
    await app.init();
    http = request(app.getHttpServer());
  });

  afterEach(() => app.close());

  async function addBook(stock: number): Promise<string> {
    const response = await http
      .post('/books')
      .send({ title: 'Dune', author: 'Frank Herbert', price: 9.99, stock });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  async function placeOrder(bookId: string, quantity: number) {
    return http.post('/orders').send({ customer: 'Ada', items: [{ bookId, quantity }] });
  }

  it('adds a book (201 {id}) and shows it in the catalog', async () => {
    const id = await addBook(3);
    const book = await http.get(`/books/${id}`).expect(200);
    expect(book.body).toEqual({
      id,
      title: 'Dune',
      author: 'Frank Herbert',
      isbn: null,
      price: 9.99,
      stock: 3,
    });
    const list = await http.get('/books').expect(200);
    expect(list.body).toEqual([book.body]);
  });

  it('rejects an order of 2 copies when 1 is in stock, leaving the stock at 1', async () => {
    const bookId = await addBook(1);
    const placed = await placeOrder(bookId, 2);
    expect(placed.status).toBe(201);

    const order = await http.get(`/orders/${placed.body.id}`).expect(200);
    expect(order.body).toEqual({
      id: placed.body.id,
      customer: 'Ada',
      items: [{ bookId, quantity: 2 }],
      status: 'REJECTED',
      total: 19.98,
    });
    expect((await http.get(`/books/${bookId}`)).body.stock).toBe(1);
  });

  it('confirms an order of 2 copies when 5 are in stock, leaving 3', async () => {
    const bookId = await addBook(5);
    const placed = await placeOrder(bookId, 2);
    expect(placed.status).toBe(201);

    expect((await http.get(`/orders/${placed.body.id}`)).body.status).toBe('CONFIRMED');
    expect((await http.get(`/books/${bookId}`)).body.stock).toBe(3);
  });

  it('answers 404 for unknown ids', async () => {
    await http.get('/books/00000000-0000-4000-8000-000000000000').expect(404);
    await http.get('/orders/nope').expect(404);
    // An id no database could hold (PostgreSQL would refuse the query) is not a UUID: unknown.
    await http.get('/books/%00').expect(404);
    await http.get('/orders/a%00b').expect(404);
  });

  describe('bad input: a clear error naming the problem, and nothing stored', () => {
    const valid = { title: 'Dune', author: 'Frank Herbert', price: 9.99, stock: 3 };

    it.each([
      ['a missing title', { ...valid, title: undefined }, 'title'],
      ['a negative price', { ...valid, price: -1 }, 'price must not be less than 0'],
      ['a string stock', { ...valid, stock: '3' }, 'stock must be an integer'],
      ['an unknown field', { ...valid, color: 'red' }, 'property color should not exist'],
    ])('POST /books with %s answers 400', async (_case, body, expected) => {
      const response = await http.post('/books').send(body);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.message)).toContain(expected);
      expect((await http.get('/books')).body).toEqual([]);
    });

    it('POST /books with malformed JSON answers 400', async () => {
      const response = await http
        .post('/books')
        .set('content-type', 'application/json')
        .send('{"title": "Dune",');
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/JSON/);
      expect((await http.get('/books')).body).toEqual([]);
    });

    it.each([
      [
        '__proto__ at the top level',
        '{"title":"Dune","author":"F","price":1,"__proto__":{"polluted":true}}',
        'Forbidden key "__proto__"',
      ],
      [
        'constructor.prototype nested',
        '{"title":"Dune","author":"F","price":1,"x":[{"constructor":{"prototype":{"polluted":true}}}]}',
        'Forbidden key "prototype"',
      ],
      [
        '10,000 levels of nesting',
        '['.repeat(10_000) + ']'.repeat(10_000),
        'JSON nested deeper than 100 levels',
      ],
    ])('POST /books with %s answers 400 naming it', async (_case, text, expected) => {
      const response = await http.post('/books').set('content-type', 'application/json').send(text);
      expect(response.status).toBe(400);
      expect(response.body.message).toContain(expected);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((await http.get('/books')).body).toEqual([]);
    });

    it.each([
      [
        'U+0000 in the title',
        '{"title":"nul\\u0000byte","author":"F","price":1}',
        'title: contains the NUL character (U+0000)',
      ],
      [
        'a lone surrogate in the author',
        '{"title":"Dune","author":"\\ud800","price":1}',
        'author: is not well-formed Unicode',
      ],
      [
        'a price no 64-bit number keeps',
        '{"title":"Dune","author":"F","price":1e-400}',
        'price: is too small',
      ],
      [
        'a stock beyond 2^53',
        '{"title":"Dune","author":"F","price":1,"stock":9007199254740993}',
        'stock: is an integer beyond',
      ],
      ['negative zero', '{"title":"Dune","author":"F","price":-0}', 'price: is negative zero'],
      [
        'a price written with an exponent',
        '{"title":"Dune","author":"F","price":1e-7}',
        'price must have at most 2 decimal places',
      ],
    ])(
      'POST /books with %s answers 400 naming the field, in the validation shape',
      async (_case, text, expected) => {
        const response = await http
          .post('/books')
          .set('content-type', 'application/json')
          .send(text);
        expect(response.status).toBe(400);
        expect(response.body).toEqual({
          statusCode: 400,
          error: 'Bad Request',
          message: [expect.stringContaining(expected)],
        });
        expect((await http.get('/books')).body).toEqual([]);
      },
    );

    it('POST /books with bytes that are not UTF-8 answers 400', async () => {
      const response = await http
        .post('/books')
        .set('content-type', 'application/json')
        // As the bytes are, not re-encoded as JSON of a Buffer.
        .serialize((bytes: Buffer) => bytes as unknown as string)
        .send(
          Buffer.concat([
            Buffer.from('{"title":"'),
            Buffer.from([0xff]),
            Buffer.from('","author":"F","price":1}'),
          ]),
        );
      expect(response.status).toBe(400);
      expect(response.body.message).toBe('Invalid UTF-8 in the request body');
      expect((await http.get('/books')).body).toEqual([]);
    });

    it('POST /books with a 2 MB body answers 413', async () => {
      const response = await http
        .post('/books')
        .send({ ...valid, title: 'x'.repeat(2 * 1024 * 1024) });
      expect(response.status).toBe(413);
      expect(response.body.message).toMatch(/too large/);
      expect((await http.get('/books')).body).toEqual([]);
    });

    it('POST /books as text/plain answers 415', async () => {
      const response = await http.post('/books').set('content-type', 'text/plain').send('Dune');
      expect(response.status).toBe(415);
      expect(response.body.message).toContain('application/json');
    });

    const unknownBook = '00000000-0000-4000-8000-000000000000';
    it.each([
      {
        name: 'zero items',
        status: 400,
        expected: 'items must contain at least 1',
        body: () => ({ customer: 'Ada', items: [] }),
      },
      {
        name: 'quantity 0',
        status: 400,
        expected: 'items.0.quantity',
        body: (bookId: string) => ({ customer: 'Ada', items: [{ bookId, quantity: 0 }] }),
      },
      {
        name: 'no customer',
        status: 400,
        expected: 'customer',
        body: (bookId: string) => ({ items: [{ bookId, quantity: 1 }] }),
      },
      {
        name: 'an unknown bookId',
        status: 404,
        expected: `Unknown book: ${unknownBook}`,
        body: () => ({ customer: 'Ada', items: [{ bookId: unknownBook, quantity: 1 }] }),
      },
    ])(
      'POST /orders with $name answers $status and reserves nothing',
      async ({ body, status, expected }) => {
        const bookId = await addBook(5);
        const response = await http.post('/orders').send(body(bookId));
        expect(response.status).toBe(status);
        expect(JSON.stringify(response.body.message)).toContain(expected);
        expect((await http.get(`/books/${bookId}`)).body.stock).toBe(5);
      },
    );
  });

  it('serves the OpenAPI UI at /docs and health at /health', async () => {
    expect((await http.get('/docs')).status).toBe(200);
    const health = await http.get('/health').expect(200);
    expect(health.body.status).toBe('ok');
    expect(health.body.info).toHaveProperty('database');
  });

  it('echoes the caller correlation id', async () => {
    const response = await http.get('/health').set('x-correlation-id', 'trace-123');
    expect(response.headers['x-correlation-id']).toBe('trace-123');
  });
});
