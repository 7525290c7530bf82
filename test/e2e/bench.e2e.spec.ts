import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_MAIN, runToExit } from '../support/processes.js';

describe('npm run bench', () => {
  it('prints the relay table and merges its scenarios into the results file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'protean-bench-'));
    const file = join(dir, 'results.json');
    writeFileSync(file, JSON.stringify({ 'another-benchmark': { kept: true } }));
    try {
      // A small run: the real one (20,000 rows, 5 rounds) belongs to `npm run bench`.
      const run = await runToExit(BENCH_MAIN, [], {
        BENCH_RESULTS_FILE: file,
        BENCH_OUTBOX_ROWS: '600',
        BENCH_OUTBOX_AGGREGATES: '50',
        BENCH_OUTBOX_BATCHES: '100',
        BENCH_OUTBOX_ROUNDS: '1',
        BENCH_OUTBOX_LATENCY_SAMPLES: '5',
      });
      expect(run.stderr).not.toMatch(/Error/);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^scenario\s+contender\s+best rows\/s\s+ratio/m);
      expect(run.stdout).toMatch(
        /^outbox relay, 600 rows, batch 100\s+raw relay \(pg \+ ioredis\)\s+[\d,]+\s+1\.00/m,
      );
      expect(run.stdout).toMatch(
        /^outbox relay, 600 rows, batch 100\s+OutboxProcessor\s+[\d,]+\s+\d\.\d\d/m,
      );
      expect(run.stdout).toMatch(/other process \(LISTEN\/NOTIFY\)\s+\d+\.\d ms\s+\d+\.\d ms/);

      const results = JSON.parse(readFileSync(file, 'utf8'));
      expect(Object.keys(results)).toEqual(['another-benchmark', 'outbox-latency', 'outbox-relay']);
      expect(results['another-benchmark']).toEqual({ kept: true });
      expect(results['outbox-relay'].batch_100.processor_rows_per_s).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
