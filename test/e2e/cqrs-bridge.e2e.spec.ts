import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eventually } from 'nestjs-protean/testing';
import { BookshelfSystem, inParallel } from '../support/bookshelf-system.js';
import { freePort, NodeProcess, PROCESS_POLL, ROOT } from '../support/processes.js';

/**
 * Issue 19: an `@nestjs/cqrs` application in the shape of the official CQRS sample
 * (test/cqrs-sample/heroes: a hero kills a dragon, the aggregate applies an event, an events
 * handler writes the hero's chronicle, a saga dispatches `DropAncientItemCommand`), its
 * handlers and saga untouched, put on Protean by `ProteanCqrsModule` alone: API and worker
 * processes on PostgreSQL and Redis Streams. And the same app on `CqrsModule.forRoot()` alone.
 */
const MINUTE = 60_000;
const SAMPLE = resolve(ROOT, 'dist/test/cqrs-sample');
const HEROES_API_MAIN = resolve(SAMPLE, 'api.main.js');
const HEROES_WORKER_MAIN = resolve(SAMPLE, 'worker.main.js');
const HEROES_MEMORY_MAIN = resolve(SAMPLE, 'memory.main.js');

const HEROES = 20;
const DRAGONS_PER_HERO = 10;

/** Every (hero, dragon) of the run: hero `h<i>` kills dragons `h<i>-d<j>`. */
const kills = Array.from({ length: HEROES * DRAGONS_PER_HERO }, (_, n) => {
  const hero = `h${n % HEROES}`;
  return { hero, dragon: `${hero}-d${Math.floor(n / HEROES)}` };
});

/** POSTs with no body; resolves to the status (the sample's command handlers return nothing). */
async function post(url: string): Promise<number> {
  const response = await fetch(url, { method: 'POST' });
  await response.arrayBuffer();
  return response.status;
}

async function startHttp(script: string, env: NodeJS.ProcessEnv) {
  const port = await freePort();
  const process = new NodeProcess(script, [], { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  await process.answering(`${url}/health`, script);
  return { process, url };
}

describe('@nestjs/cqrs bridge: the heroes sample', () => {
  let system: BookshelfSystem | undefined;
  const processes: NodeProcess[] = [];

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((process) => process.stop('SIGKILL')));
    await system?.stop();
    system = undefined;
  });

  it("keeps the sample's heroes/ as a @nestjs/cqrs user writes it: nothing there imports Protean", () => {
    const heroes = resolve(ROOT, 'test/cqrs-sample/heroes');
    const files = readdirSync(heroes, { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.ts'),
    );
    const imports = files.flatMap((file) =>
      [...readFileSync(join(heroes, file), 'utf8').matchAll(/from '([^']+)'/g)].map(
        ([, from]) => from,
      ),
    );
    expect(files.length).toBeGreaterThanOrEqual(12);
    expect([...new Set(imports.filter((from) => !from.startsWith('.')))].sort()).toEqual([
      '@nestjs/common',
      '@nestjs/cqrs',
      'rxjs',
      'rxjs/operators',
    ]);
  });

  it(
    'runs the saga command in the worker; a worker SIGKILLed mid-run loses nothing, applies nothing twice',
    async () => {
      system = await BookshelfSystem.start({
        LOG_LEVEL: 'warn',
        PROTEAN_SERVER__MIN_IDLE_MS: '3000',
        PROTEAN_DATABASES__DEFAULT__IDLE_IN_TRANSACTION_TIMEOUT_MS: '3000',
        PROTEAN_OUTBOX__LEASE_SECONDS: '5',
      });
      const db = system.db;
      const count = async (sql: string, values: unknown[] = []) =>
        Number((await db.query<{ n: string }>(sql, values))[0].n);
      const entries = (prefix: string) =>
        count('SELECT count(*) AS n FROM hero_chronicle WHERE entry LIKE $1', [`${prefix} %`]);

      const api = await startHttp(HEROES_API_MAIN, system.env);
      processes.push(api.process);

      // KillDragonCommand is sync: the hero's row has the kill when the POST answers.
      const answers = await inParallel(kills, 8, ({ hero, dragon }) =>
        post(`${api.url}/hero/${hero}/kill/${dragon}`),
      );
      expect(answers).toEqual(kills.map(() => 201));
      expect(await count('SELECT count(*) AS n FROM heroes')).toBe(HEROES);
      expect(await count(`SELECT sum(jsonb_array_length(dragons_killed)) AS n FROM heroes`)).toBe(
        kills.length,
      );
      // No worker yet: the events wait in the outbox; no handler, no saga has run.
      expect(await entries('killed')).toBe(0);
      expect(
        await count(
          `SELECT count(*) AS n FROM outbox WHERE type = 'heroes.HeroKilledDragonEvent.v1'`,
        ),
      ).toBe(kills.length);

      const worker = await system.startWorker({}, HEROES_WORKER_MAIN);
      await eventually(async () => (await entries('found')) >= kills.length / 10, {
        ...PROCESS_POLL,
        timeoutMs: MINUTE,
        what: 'the worker to be under way',
      });
      const foundAtKill = await entries('found');
      expect(await worker.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      expect(foundAtKill).toBeLessThan(kills.length); // the kill hit a run in progress

      await system.startWorker({}, HEROES_WORKER_MAIN);
      await eventually(
        async () =>
          (await entries('found')) >= kills.length && (await entries('killed')) >= kills.length,
        { ...PROCESS_POLL, timeoutMs: 2 * MINUTE, what: 'every dragon killed and its relic found' },
      );

      // Nothing lost, nothing twice: each effect exactly once.
      const chronicle = await db.query<{ hero_id: string; entry: string; n: string }>(
        'SELECT hero_id, entry, count(*) AS n FROM hero_chronicle GROUP BY 1, 2',
      );
      expect(chronicle.filter(({ n }) => n !== '1')).toEqual([]);
      expect(chronicle.map(({ hero_id, entry }) => `${hero_id} ${entry}`).sort()).toEqual(
        kills
          .flatMap(({ hero, dragon }) => [
            `${hero} killed ${dragon}`,
            `${hero} found relic-of-${dragon}`,
          ])
          .sort(),
      );
      const heroes = await db.query<{ id: string; dragons_killed: string[]; items: string[] }>(
        'SELECT id, dragons_killed, items FROM heroes',
      );
      for (const { id, dragons_killed, items } of heroes) {
        const own = kills.filter(({ hero }) => hero === id).map(({ dragon }) => dragon);
        expect([...dragons_killed].sort()).toEqual([...own].sort());
        expect([...items].sort()).toEqual(own.map((dragon) => `relic-of-${dragon}`).sort());
      }

      // The saga's commands were persisted through the outbox and handled by consumer groups.
      expect(
        await count(
          `SELECT count(*) AS n FROM outbox WHERE type = 'heroes.DropAncientItemCommand.v1'`,
        ),
      ).toBe(kills.length);
      const groups = async () =>
        Object.fromEntries(
          (
            await db.query<{ handler: string; n: string }>(
              'SELECT handler, count(*) AS n FROM processed_messages GROUP BY 1',
            )
          ).map(({ handler, n }) => [handler, Number(n)]),
        );
      const once = {
        DropAncientItemHandler: kills.length,
        HeroFoundItemHandler: kills.length,
        HeroKilledDragonHandler: kills.length,
        HeroesGameSagas: 2 * kills.length, // it sees both events; its saga answers one
      };
      const same = (a: Record<string, number>, b: Record<string, number>) =>
        Object.keys({ ...a, ...b }).every((key) => a[key] === b[key]);
      await eventually(async () => same(await groups(), once), {
        ...PROCESS_POLL,
        timeoutMs: MINUTE,
        what: 'every consumer group done',
      }).catch(async (error: unknown) => {
        expect(await groups()).toEqual(once);
        throw error;
      });
      const redis = system.redisClient();
      expect(await redis.xlen('heroes::hero:command')).toBeGreaterThanOrEqual(kills.length);
    },
    4 * MINUTE,
  );

  it('runs the same app on CqrsModule.forRoot() alone, in memory: the bridge is additive', async () => {
    const app = await startHttp(HEROES_MEMORY_MAIN, {});
    processes.push(app.process);
    const state = async () =>
      (await (await fetch(`${app.url}/state`)).json()) as {
        heroes: Record<string, { dragonsKilled: string[]; items: string[] }>;
        chronicle: Array<{ heroId: string; entry: string }>;
      };
    // One kill at a time: the in-memory repository of the sample has no locking.
    for (const [index, dragon] of ['smaug', 'fafnir'].entries()) {
      expect(await post(`${app.url}/hero/bilbo/kill/${dragon}`)).toBe(201);
      await eventually(async () => (await state()).chronicle.length === 2 * (index + 1), {
        ...PROCESS_POLL,
        what: 'the in-memory events handlers and saga',
      });
    }
    const { heroes, chronicle } = await state();
    expect(heroes.bilbo).toEqual({
      dragonsKilled: ['smaug', 'fafnir'],
      items: ['relic-of-smaug', 'relic-of-fafnir'],
    });
    expect(chronicle.map(({ entry }) => entry).sort()).toEqual([
      'found relic-of-fafnir',
      'found relic-of-smaug',
      'killed fafnir',
      'killed smaug',
    ]);
  });
});
