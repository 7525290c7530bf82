import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MESSAGE_HOPS } from 'nestjs-protean';
import { BENCH_MAIN, runToExit } from '../support/processes.js';

describe('npm run bench -- --quick', () => {
  it('runs every scenario against its peers, prints one table and merges the results file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'protean-bench-'));
    const file = join(dir, 'results.json');
    writeFileSync(file, JSON.stringify({ 'another-benchmark': { kept: true } }));
    try {
      // The smoke run CI does: every scenario at tiny sizes; no figure is asserted.
      const run = await runToExit(BENCH_MAIN, ['--quick'], { BENCH_RESULTS_FILE: file });
      expect(run.stderr).not.toMatch(/Error/);
      expect(run.code).toBe(0);

      const lines = run.stdout.split('\n');
      expect(lines[0]).toMatch(
        /^scenario\s+contender\s+median \/s\s+ours ÷ peer\s+note\s+median ms$/,
      );
      expect(lines[1]).toMatch(/^-+( +-+){5}$/);
      const row = (scenario: string, contender: string, rest: string) =>
        new RegExp(`^${scenario}\\s+${contender}\\s+${rest}`, 'm');
      const figure = '[\\d,]+';
      const ratio = '\\d+\\.\\d\\d';
      expect(run.stdout).toMatch(
        row(
          '1 consume 2,000 msgs, no-op',
          'ProteanEngine \\(concurrency \\d+, batch \\d+\\)',
          figure,
        ),
      );
      expect(run.stdout).toMatch(
        row(
          '1 consume 2,000 msgs, no-op',
          'BullMQ worker \\(concurrency \\d+\\)',
          `${figure}\\s+${ratio}`,
        ),
      );
      expect(run.stdout).toMatch(
        row(
          '1 consume 2,000 msgs, no-op',
          'raw XREADGROUP/XACK \\(COUNT \\d+\\)',
          `${figure}\\s+${ratio}`,
        ),
      );
      // The same consumers keeping their exactly-once records in PostgreSQL, with the CPU
      // each process spent a message.
      const onPostgres = '1 consume 500 msgs, once on PostgreSQL';
      expect(run.stdout).toMatch(
        row(
          onPostgres,
          'ProteanEngine on PostgreSQL \\(concurrency \\d+, batch \\d+\\)',
          `${figure}\\s+best of its kind; CPU [\\d.]+ µs/msg`,
        ),
      );
      expect(run.stdout).toMatch(
        row(
          onPostgres,
          'raw XREADGROUP/XACK \\(COUNT \\d+\\) \\+ decode, check, once in a PostgreSQL transaction',
          `${figure}\\s+${ratio}\\s+CPU [\\d.]+ µs/msg`,
        ),
      );
      expect(run.stdout).toMatch(row('2 relay 600 rows, batch 100', 'OutboxProcessor', figure));
      expect(run.stdout).toMatch(
        row(
          '2 relay 600 rows, batch 100',
          'raw relay \\(pg \\+ ioredis\\)',
          `${figure}\\s+${ratio}`,
        ),
      );
      expect(run.stdout).toMatch(/other process \(LISTEN\/NOTIFY\)\s+p50 \d+\.\d ms, p99/);
      expect(run.stdout).toMatch(
        row('3 end to end, orders', 'POST /orders → CONFIRMED \\(\\d+ connections\\)', figure),
      );
      expect(run.stdout).toMatch(
        row(
          '3 end to end, orders',
          'raw pg tx: aggregate \\+ outbox row \\(\\d+ clients\\)',
          `${figure}\\s+${ratio}`,
        ),
      );
      expect(run.stdout).toMatch(
        /accept → CONFIRMED at [\d,]+\/s \(half load\)\s+p50 [\d.]+ ms, p99/,
      );
      // Where the time goes at half load, from the processes' protean_hop_seconds.
      for (const hop of MESSAGE_HOPS)
        expect(run.stdout).toMatch(
          row(
            '3 end to end, orders',
            `hop ${hop} \\(half load\\)`,
            'p50 [\\d.]+ ms, p99 [\\d.]+ ms \\([\\d,]+ observed\\)$',
          ),
        );
      expect(run.stdout).toMatch(
        row(
          '4 fan-out 1 event → 5 handlers, 1,000 events',
          'ProteanEngine, 5 consumer groups \\(durable\\)',
          figure,
        ),
      );
      expect(run.stdout).toMatch(
        row(
          '4 fan-out 1 event → 5 handlers, 1,000 events',
          'Nest Transport\\.REDIS, 5 @EventPattern \\(Pub/Sub\\)',
          `${figure}\\s+${ratio}`,
        ),
      );
      for (const contender of ['protean --help', 'npx protean --help', 'protean dlq list'])
        expect(run.stdout).toMatch(row('7 CLI start → exit', contender, `${ratio}\\s+.*\\s\\d+$`));
      expect(run.stdout).toMatch(/^5 memory, drain 5,000 msgs\s+ProteanEngine.*peak RSS \d+ MB/m);
      expect(run.stdout).toMatch(
        row(
          '6 hot aggregate, 100 orders for 1 book',
          'POST /orders → decided \\(2 workers, 10 clients\\)',
          `${figure}\\s+stock 60: 60 confirmed, 40 rejected`,
        ),
      );

      for (const workers of [1, 2])
        for (const layout of ['unpartitioned', '4 partitions'])
          expect(run.stdout).toMatch(
            row(
              '8 scale-out, orders',
              `POST /orders → CONFIRMED, ${workers} worker process\\(es\\), ${layout}`,
              `${figure}\\s+.*p50 [\\d.]+ ms, p99 [\\d.]+ ms at \\d+/s; [\\d.]+ rolled-back transactions an order`,
            ),
          );

      const results = JSON.parse(readFileSync(file, 'utf8'));
      expect(Object.keys(results)).toEqual([
        'another-benchmark',
        'cli-startup',
        'consume',
        'consume-postgresql',
        'end-to-end',
        'fan-out',
        'hot-aggregate',
        'machine',
        'memory',
        'outbox-latency',
        'outbox-relay',
        'scale-out',
      ]);
      expect(results['another-benchmark']).toEqual({ kept: true });
      expect(results.consume.median_per_s.engine).toBeGreaterThan(0);
      expect(results['end-to-end'].half_load.orders).toBeGreaterThan(0);
      for (const hop of MESSAGE_HOPS)
        expect(results['end-to-end'].hops[hop]).toEqual({
          count: expect.any(Number),
          p50_ms: expect.any(Number),
          p99_ms: expect.any(Number),
        });
      expect(results['end-to-end'].hops.handler.count).toBeGreaterThan(0);
      expect(results.memory.peak_rss_mb).toBeGreaterThan(0);
      expect(results['hot-aggregate'].median_per_s).toBeGreaterThan(0);
      expect(results['cli-startup'].median_ms.dlq).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
