import { API_MAIN, NodeProcess, startApi, PROCESS_POLL } from '../support/processes.js';
import { eventually } from 'nestjs-protean/testing';

describe('npm start: the embedded default (async, engine in process) as a real process', () => {
  it('answers POST /books with 202 {id}, and the book is in GET /books within a second', async () => {
    const { api, url } = await startApi(['--embedded']);
    try {
      const created = await fetch(`${url}/books`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Dune', author: 'Frank Herbert', price: 9.99, stock: 3 }),
      });
      expect(created.status).toBe(202);
      const { id } = (await created.json()) as { id: string };

      const book = await eventually(
        async () => {
          const response = await fetch(`${url}/books/${id}`);
          return response.ok ? ((await response.json()) as object) : undefined;
        },
        { timeoutMs: 1000, intervalMs: 20, what: 'the book in the catalog' },
      );
      expect(book).toMatchObject({ id, title: 'Dune', stock: 3 });
      const list = (await (await fetch(`${url}/books`)).json()) as Array<{ id: string }>;
      expect(list.map((entry) => entry.id)).toEqual([id]);
    } finally {
      expect(await api.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    }
  });

  it('logs once, at start, what it runs on and which source set each', async () => {
    const { api } = await startApi(['--embedded'], { LOG_FORMAT: 'json' });
    await api.stop('SIGTERM');
    const lines = (api.stdout + api.stderr)
      .split('\n')
      .filter((line) => line.includes('Protean configuration:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      'Protean configuration: database memory (default), event store memory (default), ' +
        'broker default inline (default), commands async (overrides), events async (overrides)',
    );
  });

  it('places an order asynchronously through the engine in the same process', async () => {
    const { api, url } = await startApi(['--embedded']);
    try {
      const post = (path: string, body: unknown) =>
        fetch(`${url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const { id: bookId } = (await (
        await post('/books', { title: 'Dune', author: 'F. H.', price: 5, stock: 5 })
      ).json()) as { id: string };
      await eventually(async () => (await fetch(`${url}/books/${bookId}`)).ok, {
        ...PROCESS_POLL,
        what: 'the book',
      });
      const placed = await post('/orders', { customer: 'Ada', items: [{ bookId, quantity: 2 }] });
      expect(placed.status).toBe(202);
      const { id } = (await placed.json()) as { id: string };
      const order = await eventually(
        async () => {
          const response = await fetch(`${url}/orders/${id}`);
          const body = response.ok ? ((await response.json()) as { status: string }) : undefined;
          return body?.status === 'CONFIRMED' ? body : undefined;
        },
        { ...PROCESS_POLL, timeoutMs: 2000, what: 'the order confirmed' },
      );
      expect(order).toMatchObject({ total: 10 });
      expect(
        ((await (await fetch(`${url}/books/${bookId}`)).json()) as { stock: number }).stock,
      ).toBe(3);
    } finally {
      await api.stop('SIGTERM');
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
