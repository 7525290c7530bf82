import { NodeProcess, WORKER_MAIN, waitFor } from '../support/processes.js';

describe('bookshelf worker process', () => {
  it('boots with the domain handlers and exits 0 on SIGTERM', async () => {
    const worker = new NodeProcess(WORKER_MAIN);
    await waitFor(() => worker.stdout.includes('Bookshelf worker ready'), {
      timeoutMs: 20_000,
      what: 'the worker to be ready',
    });
    expect(worker.stdout).toContain('CatalogProjector');

    expect(await worker.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
