import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { eventually } from 'nestjs-protean/testing';

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 10_000;
/** How long the cluster may take to agree on its slots and sync its replicas. */
const FORM_TIMEOUT_MS = 30_000;

/**
 * A `redis-server` of the test's own on a given port (tests keep to ports 17000-17099), in its
 * own directory, without persistence; resolves once it accepts connections. A missing
 * `redis-server` rejects: a test needing one fails rather than skips.
 */
export function spawnRedisServer(
  port: number,
  dir: string,
  args: readonly string[] = [],
): Promise<ChildProcess> {
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      HOST,
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ].concat(args),
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const timer = setTimeout(
      () =>
        fail(
          new Error(
            `redis-server on ${port} did not start within ${START_TIMEOUT_MS} ms:\n${output}`,
          ),
        ),
      START_TIMEOUT_MS,
    );
    child.once('error', fail);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) =>
      fail(new Error(`redis-server on ${port} exited (${code}):\n${output}`)),
    );
  });
}

/** Kills a server at once (SIGKILL), as a crashed host would stop; resolves once it exited. */
export async function killServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

export interface RedisClusterOptions {
  /** The first of `masters × 2` consecutive ports, within 17000-17099. */
  readonly basePort: number;
  readonly masters?: number;
  /** `cluster-node-timeout`: how long a silent master takes to be failed over. */
  readonly nodeTimeoutMs?: number;
}

/**
 * A Redis Cluster of the test's own: N masters with one replica each, on consecutive ports,
 * formed with `redis-cli --cluster create`; nodes can be killed to force a failover.
 */
export class SpawnedRedisCluster {
  private readonly servers = new Map<number, ChildProcess>();

  private constructor(
    readonly ports: readonly number[],
    private readonly dir: string,
    private readonly nodeTimeoutMs: number,
  ) {}

  /** Starts the nodes, forms the cluster, and resolves once every slot is served and replicated. */
  static async start(options: RedisClusterOptions): Promise<SpawnedRedisCluster> {
    const count = (options.masters ?? 3) * 2;
    const ports = Array.from({ length: count }, (_, i) => options.basePort + i);
    const dir = mkdtempSync(join(tmpdir(), 'protean-cluster-'));
    const cluster = new SpawnedRedisCluster(ports, dir, options.nodeTimeoutMs ?? 1000);
    try {
      await Promise.all(ports.map((port) => cluster.startNode(port, cluster.nodeTimeoutMs)));
      await promisify(execFile)('redis-cli', [
        '--cluster',
        'create',
        ...ports.map((port) => `${HOST}:${port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ]);
      await cluster.formed(options.masters ?? 3);
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
    return cluster;
  }

  /** `redis+cluster://127.0.0.1:17000,…`, every node as a seed. */
  get uri(): string {
    return `redis+cluster://${this.ports.map((port) => `${HOST}:${port}`).join(',')}`;
  }

  /** A cluster client for looking and cleaning up; the caller disconnects it. */
  client(): Cluster {
    return new Cluster(
      this.livePorts().map((port) => ({ host: HOST, port })),
      { redisOptions: { maxRetriesPerRequest: 3 } },
    );
  }

  /** A plain connection to one node. */
  node(port: number): Redis {
    return new Redis({ host: HOST, port, maxRetriesPerRequest: 1, lazyConnect: false });
  }

  /** The port of the master serving `key`'s slot now, as a live node sees it. */
  async masterOf(key: string): Promise<number> {
    const redis = this.node(this.livePorts()[0]);
    try {
      const slot = Number(await redis.call('CLUSTER', 'KEYSLOT', key));
      const ranges = (await redis.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
      const range = ranges.find(([from, to]) => slot >= from && slot <= to);
      if (!range) throw new Error(`no master serves slot ${slot} (of "${key}")`);
      return Number(range[2][1]);
    } finally {
      redis.disconnect();
    }
  }

  /** Kills one node (SIGKILL): its replica takes over after `cluster-node-timeout`. */
  async kill(port: number): Promise<void> {
    const server = this.servers.get(port);
    this.servers.delete(port);
    if (server) await killServer(server);
  }

  /**
   * Starts a killed node again with its files (`nodes.conf`): it rejoins the cluster, as a
   * replica of whoever took its slots over; resolves once that replica is in sync.
   */
  async restart(port: number): Promise<void> {
    await this.startNode(port, this.nodeTimeoutMs);
    await eventually(
      async () => {
        const redis = this.node(port);
        try {
          const info = String(await redis.info('replication'));
          return info.includes('role:slave') && info.includes('master_link_status:up');
        } finally {
          redis.disconnect();
        }
      },
      { timeoutMs: FORM_TIMEOUT_MS, intervalMs: 50, what: `node ${port} a replica in sync` },
    );
  }

  /** Resolves once a live node serves `key`'s slot and the cluster reports state ok. */
  async awaitServed(key: string, timeoutMs = FORM_TIMEOUT_MS): Promise<number> {
    let master = 0;
    await eventually(
      async () => {
        master = await this.masterOf(key);
        if (!this.servers.has(master)) throw new Error(`slot of "${key}" still on dead ${master}`);
        const redis = this.node(master);
        try {
          const info = String(await redis.call('CLUSTER', 'INFO'));
          if (!info.includes('cluster_state:ok')) throw new Error(`cluster state: ${info}`);
        } finally {
          redis.disconnect();
        }
        return true;
      },
      { timeoutMs, intervalMs: 50, what: `a live master for "${key}"` },
    );
    return master;
  }

  /** Kills every node and deletes their files. */
  async destroy(): Promise<void> {
    await Promise.all([...this.servers.values()].map(killServer));
    this.servers.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private livePorts(): number[] {
    return this.ports.filter((port) => this.servers.has(port));
  }

  private async startNode(port: number, nodeTimeoutMs: number): Promise<void> {
    const server = await spawnRedisServer(port, join(this.dir, String(port)), [
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-node-timeout',
      String(nodeTimeoutMs),
    ]);
    this.servers.set(port, server);
  }

  /** Every node agrees the cluster is ok, and every master has an online replica. */
  private async formed(masters: number): Promise<void> {
    await eventually(
      async () => {
        let onlineReplicas = 0;
        for (const port of this.ports) {
          const redis = this.node(port);
          try {
            const info = String(await redis.call('CLUSTER', 'INFO'));
            if (!info.includes('cluster_state:ok')) throw new Error(`${port}: ${info}`);
            const replication = String(await redis.info('replication'));
            if (replication.includes('role:master')) {
              onlineReplicas += (replication.match(/state=online/g) ?? []).length;
            }
          } finally {
            redis.disconnect();
          }
        }
        if (onlineReplicas < masters) throw new Error(`${onlineReplicas} replicas online`);
        return true;
      },
      { timeoutMs: FORM_TIMEOUT_MS, intervalMs: 100, what: 'the cluster formed' },
    );
  }
}
