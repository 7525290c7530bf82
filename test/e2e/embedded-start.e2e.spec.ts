import { API_MAIN, NodeProcess, startApi } from '../support/processes.js';

describe('npm start: the embedded default as a real process', () => {
  it('answers POST /books with 201 {id}, and GET /books/{id} shows the book', async () => {
    const { api, url } = await startApi(['--embedded']);
    try {
      const created = await fetch(`${url}/books`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Dune', author: 'Frank Herbert', price: 9.99, stock: 3 }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };

      const book = await fetch(`${url}/books/${id}`);
      expect(book.status).toBe(200);
      expect(await book.json()).toMatchObject({ id, title: 'Dune', stock: 3 });
    } finally {
      expect(await api.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    }
  });

  it('stops start-up with one line naming an invalid key, and a non-zero exit', async () => {
    const api = new NodeProcess(API_MAIN, [], {
      PROTEAN_BROKERS__DEFAULT__PROVIDER: 'kafka',
      PORT: '0',
    });
    const { code } = await api.exited;

    expect(code).not.toBe(0);
    expect(api.stderr.trim().split('\n')).toEqual([
      'Invalid configuration: brokers.default.provider = "kafka": expected one of inline, redis, redis_pubsub (from PROTEAN_BROKERS__DEFAULT__PROVIDER)',
    ]);
  });
});
