import { grouped } from './stats.js';

/** One target (issue 7's, as issue 16 raised them), checked against the figures of a run. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

type Data = Record<string, any>;

/** A ratio or figure as the targets table shows it. */
const at = (value: number, digits = 2) => value.toFixed(digits);

/** The targets whose scenarios ran, met or not. */
export function checkTargets(results: Readonly<Record<string, Data>>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const consume = results.consume;
  if (consume) {
    checks.push(
      {
        target: 'consume ≥ 1.5× BullMQ',
        measured: `${at(consume.ratio_vs_bullmq)}×`,
        met: consume.ratio_vs_bullmq >= 1.5,
      },
      {
        target: 'consume ≥ 0.5× raw XREADGROUP/XACK',
        measured: `${at(consume.ratio_vs_raw)}×${consumeFloors(consume)}`,
        met: consume.ratio_vs_raw >= 0.5,
      },
    );
  }
  const consumeOnPg = results['consume-postgresql'];
  if (consumeOnPg) {
    // Where a worker spends its time: what the subscription costs on top of the guarantees.
    checks.push({
      target: "consume on PostgreSQL ≥ 0.9× the raw loop's same once-transactions",
      measured: `${at(consumeOnPg.ratio_vs_raw_once)}×`,
      met: consumeOnPg.ratio_vs_raw_once >= 0.9,
    });
  }
  const relay = results['outbox-relay'];
  if (relay) {
    const headline = relay[`batch_${relay.headline_batch}`] as Data;
    checks.push({
      target: `relay ≥ 1.0× raw relay (batch ${relay.headline_batch}, medians)`,
      measured: `${at(headline.median_ratio ?? headline.ratio)}×`,
      met: (headline.median_ratio ?? headline.ratio) >= 1.0,
    });
  }
  const e2e = results['end-to-end'];
  if (e2e) {
    checks.push(
      {
        target: 'end to end ≥ 0.2× raw transaction rate',
        measured: `${at(e2e.ratio_vs_raw)}×`,
        met: e2e.ratio_vs_raw >= 0.2,
      },
      {
        target: 'accept → CONFIRMED p50 < 20 ms and p99 < 50 ms at half load',
        measured: `${at(e2e.half_load.p50, 1)} / ${at(e2e.half_load.p99, 1)} ms`,
        met: e2e.half_load.p50 < 20 && e2e.half_load.p99 < 50,
      },
      {
        // The hop is the publish itself; a row's `published_at` is its marking, which waits.
        target: 'outbox row → published p50 < 5 ms under e2e load (hop commit_to_published)',
        measured: `${at(e2e.hops.commit_to_published.p50_ms, 1)} ms`,
        met: e2e.hops.commit_to_published.p50_ms < 5,
      },
    );
  }
  const fanOut = results['fan-out'];
  if (fanOut) {
    checks.push({
      target: 'fan-out ≥ 1.0× Nest Transport.REDIS, durable',
      measured: `${at(fanOut.ratio_vs_nest_redis)}×`,
      met: fanOut.ratio_vs_nest_redis >= 1.0,
    });
  }
  const memory = results.memory;
  if (memory) {
    checks.push({
      target: `worker peak RSS < ${memory.target_mb} MB draining ${grouped(memory.messages)}`,
      measured: `${memory.peak_rss_mb} MB`,
      met: memory.peak_rss_mb < memory.target_mb,
    });
  }
  return checks;
}

/** The ratios the chart shows: ours ÷ peer, with the target where there is one. */
export function chartBars(results: Readonly<Record<string, Data>>) {
  const bars: { label: string; value: number; target?: number }[] = [];
  const { consume, 'end-to-end': e2e, 'fan-out': fanOut } = results;
  const relay = results['outbox-relay'];
  if (consume) {
    bars.push({ label: 'consume ÷ BullMQ', value: consume.ratio_vs_bullmq, target: 1.5 });
    bars.push({ label: 'consume ÷ raw', value: consume.ratio_vs_raw, target: 0.5 });
  }
  if (relay) {
    for (const key of Object.keys(relay).filter((name) => name.startsWith('batch_'))) {
      const batch = relay[key] as Data;
      bars.push({
        label: `relay ÷ raw (${key.replace('_', ' ')})`,
        value: batch.median_ratio ?? batch.ratio,
        target: 1.0,
      });
    }
  }
  if (e2e) bars.push({ label: 'end to end ÷ raw tx', value: e2e.ratio_vs_raw, target: 0.2 });
  if (fanOut) {
    bars.push({ label: 'fan-out ÷ Nest Redis', value: fanOut.ratio_vs_nest_redis, target: 1.0 });
  }
  return bars;
}

/** The raw loop's own ratios when it decodes, then calls a handler, then once in a unit of work. */
function consumeFloors(consume: Data): string {
  const floors = consume.references_ratio_vs_raw as Data | undefined;
  if (!floors) return '';
  return (
    ` (the raw loop decoding: ${at(floors.decode)}×, calling a handler: ${at(floors.handler_call)}×,` +
    ` calling it once in a unit of work: ${at(floors.once)}×)`
  );
}
