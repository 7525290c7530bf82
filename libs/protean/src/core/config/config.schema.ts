import { z } from 'zod';
import { commaSeparated } from './comma-separated.js';
import { isClusterUri, parseClusterUri, parseRedisNode } from './redis-cluster-uri.js';
import { IDENTIFIER, LONGEST_OWN_NAME, MAX_IDENTIFIER_LENGTH } from './postgres-tables.js';
import { SUBSCRIPTION_PROFILES } from './subscription-profile-names.js';

/*
 * The configuration keys are Protean's `domain.toml` keys, snake_case as written there, so that
 * a Protean user's file works unchanged. Values from environment variables arrive as strings;
 * the `flag`, `integer` and `number` helpers accept those as well as TOML's typed values.
 */

const fromString = (parse: (value: string) => unknown) => (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? parse(value.trim()) : value;

const flag = () =>
  z.preprocess(
    fromString((v) => ({ true: true, false: false, 1: true, 0: false })[v.toLowerCase()] ?? v),
    z.boolean({ error: 'expected true or false' }),
  );

const decimal = (v: string) => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    fromString(decimal),
    z
      .number({ error: 'expected a number' })
      .int({ error: 'expected an integer' })
      .min(min, {
        error: `expected an integer >= ${min}`,
      })
      .max(max, { error: `expected an integer <= ${max}` }),
  );

const number = (min: number, max = Infinity) =>
  z.preprocess(
    fromString(decimal),
    z
      .number({ error: 'expected a number' })
      .min(min, { error: `expected a number >= ${min}` })
      .max(max, { error: `expected a number <= ${max}` }),
  );

/** Handler names: a TOML list, or one comma-separated string (an environment variable). */
const names = () =>
  z.preprocess(
    (value) => (typeof value === 'string' ? commaSeparated(value) : value),
    z.array(
      z.string({ error: 'expected handler names' }).trim().min(1, { error: 'expected a name' }),
      { error: 'expected a list of handler names' },
    ),
  );

const uri = (schemes: readonly string[]) =>
  z.string().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { error: `expected a URI of scheme ${schemes.map((s) => `${s}://`).join(' or ')}` },
  );

/** Most partitions a stream category can have. */
export const MAX_PARTITIONS = 1024;

/** A `redis://` URI, or a `redis+cluster://h1:p1,h2:p2` one whose faults are named. */
const redisUri = () =>
  z.string().superRefine((value, ctx) => {
    if (!isClusterUri(value)) {
      const plain = uri(REDIS_SCHEMES).safeParse(value);
      if (!plain.success) {
        ctx.addIssue({
          code: 'custom',
          message:
            'expected a URI of scheme redis:// or rediss:// ' +
            '(redis+cluster://host:port,host:port for a Redis Cluster)',
        });
      }
      return;
    }
    try {
      parseClusterUri(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

/** Cluster nodes: a TOML list of `host:port`, or one comma-separated string (a variable). */
const redisNodes = () =>
  z.preprocess(
    (value) => (typeof value === 'string' ? commaSeparated(value) : value),
    z
      .array(
        z.string({ error: 'expected host:port' }).superRefine((value, ctx) => {
          try {
            parseRedisNode(value);
          } catch (error) {
            ctx.addIssue({ code: 'custom', message: (error as Error).message });
          }
        }),
        { error: 'expected a list of host:port' },
      )
      .min(1, { error: 'expected at least one node (host:port)' }),
  );

export const DATABASE_PROVIDERS = ['memory', 'postgresql'] as const;
export const EVENT_STORE_PROVIDERS = ['memory', 'postgresql'] as const;
export const BROKER_PROVIDERS = ['inline', 'redis', 'redis_pubsub'] as const;
export const PROCESSING_MODES = ['sync', 'async'] as const;
export const SUBSCRIPTION_TYPES = ['stream', 'event_store'] as const;
/**
 * The built-in subscription type, as the chapter has it: `event_store` ("Default,
 * development-friendly"); `stream` for production.
 */
export const DEFAULT_SUBSCRIPTION_TYPE: (typeof SUBSCRIPTION_TYPES)[number] = 'event_store';
export { SUBSCRIPTION_PROFILES };

/**
 * The one rule between a subscription's type and its dead letters: an `event_store`
 * subscription has no dead-letter stream, so `enable_dlq` is refused there. The problem with
 * `type` and `enableDlq` as they resolve, if any; the key is `server.subscriptions.<handler>.enable_dlq`.
 */
export function deadLetterProblem(
  type: (typeof SUBSCRIPTION_TYPES)[number],
  enableDlq: boolean | undefined,
): string | undefined {
  return type === 'event_store' && enableDlq
    ? 'an event_store subscription has no dead-letter stream; remove enable_dlq'
    : undefined;
}

const POSTGRES_SCHEMES = ['postgresql', 'postgres'];
const REDIS_SCHEMES = ['redis', 'rediss'];

const identifier = (maxLength: number) =>
  z
    .string()
    .regex(IDENTIFIER, {
      error: 'expected a PostgreSQL identifier: letters, digits and _, not starting with a digit',
    })
    .max(maxLength, { error: `expected at most ${maxLength} characters` });

/**
 * Defaults of the database keys the schema leaves optional (so the built-in default database
 * stays valid as written): the adapters fill them in from here.
 */
export const DATABASE_DEFAULTS = {
  idle_in_transaction_timeout_ms: 30_000,
  startup_timeout_seconds: 30,
} as const;

/**
 * Defaults of the broker keys: the two the schema fills in itself, and those it leaves optional
 * (so the built-in default broker stays valid as written), which `resolveBrokerSettings` fills in.
 */
export const BROKER_DEFAULTS = {
  max_payload_bytes: 1024 * 1024,
  max_stream_length: 0,
  connect_timeout_ms: 5000,
  command_timeout_ms: 5000,
  read_timeout_grace_ms: 2000,
  pubsub_buffer_size: 10_000,
  min_replicas: 0,
  wait_timeout_ms: 1000,
} as const;

/*
 * `database_uri` is optional for `postgresql`: an application may give ProteanModule its own
 * TypeORM DataSource instead. Without either, opening the database names the key.
 */
const databaseSchema = z.strictObject({
  provider: z.enum(DATABASE_PROVIDERS),
  database_uri: uri(POSTGRES_SCHEMES).optional(),
  pool_size: integer(1).default(10),
  /**
   * A transaction idle this long is ended by the server (`idle_in_transaction_session_timeout`),
   * so a process paused mid-transaction cannot hold row locks against the workers that took
   * its messages over; 0 disables. Optional so the built-in default database stays valid as
   * written; default in {@link DATABASE_DEFAULTS} (30000).
   */
  idle_in_transaction_timeout_ms: integer(0).optional(),
  /**
   * Seconds a starting worker or API waits for an unreachable PostgreSQL (refused, timed out,
   * starting up) before it exits 69; 0: no wait. Optional like the key above; default 30
   * ({@link DATABASE_DEFAULTS}).
   */
  startup_timeout_seconds: number(0).optional(),
  /**
   * A starting worker or API (and ProteanModule, unless its `runMigrations` option says
   * otherwise) applies the migrations `db setup` would when the schema is missing or behind,
   * under the migrations' advisory lock. `false`: it exits 78 naming `npx protean db setup`
   * instead. Read on `databases.default`; it covers every table Protean owns (the event store's
   * included).
   */
  auto_migrate: flag().default(true),
  /** The PostgreSQL schema of every table Protean owns in this database. */
  schema: identifier(MAX_IDENTIFIER_LENGTH).default('public'),
  /** Prepended to the name of every table (and index) Protean owns: `protean_` → `protean_outbox`. */
  table_prefix: z
    .union([z.literal(''), identifier(MAX_IDENTIFIER_LENGTH - LONGEST_OWN_NAME)])
    .default(''),
});

const brokerSchema = z
  .strictObject({
    provider: z.enum(BROKER_PROVIDERS),
    uri: redisUri().optional(),
    /** The seed nodes of a Redis Cluster, instead of a `redis+cluster://` URI. */
    nodes: redisNodes().optional(),
    /** Largest accepted message, in bytes; a larger publish is refused. */
    max_payload_bytes: integer(1024).default(BROKER_DEFAULTS.max_payload_bytes),
    /** Approximate stream length kept by trimming; 0 keeps everything. */
    max_stream_length: integer(0).default(BROKER_DEFAULTS.max_stream_length),
    /*
     * The keys below are optional rather than defaulted so that the built-in default broker
     * stays valid as written; the adapters apply the defaults named in each comment
     * ({@link BROKER_DEFAULTS}).
     */
    /** Longest wait for a connection (TCP, TLS, AUTH) before a command fails; default 5000. */
    connect_timeout_ms: integer(100).optional(),
    /** Longest wait for a non-blocking command's reply; default 5000. */
    command_timeout_ms: integer(100).optional(),
    /** A blocking read that outlives its block time by this much is failed; default 2000. */
    read_timeout_grace_ms: integer(100).optional(),
    /** PEM file of the CA that signed the server's certificate, for `rediss://`. */
    tls_ca_file: z.string().min(1).optional(),
    /** `redis_pubsub`: messages kept per subscribed group until read; default 10000. */
    pubsub_buffer_size: integer(1).optional(),
    /**
     * `redis`: replicas that must hold a publish (`WAIT`) before it counts as done; default 0,
     * no wait. A publish that fewer replicas acknowledged fails, and the outbox retries it.
     */
    min_replicas: integer(0).optional(),
    /** `redis`: longest `WAIT` for `min_replicas`; default 1000, below `command_timeout_ms`. */
    wait_timeout_ms: integer(1).optional(),
  })
  .superRefine((broker, ctx) => {
    for (const issue of brokerProblems(broker)) ctx.addIssue({ code: 'custom', ...issue });
  });

/** What is wrong in one broker's keys as a whole, each with the key to fix. */
function brokerProblems(broker: {
  provider: (typeof BROKER_PROVIDERS)[number];
  uri?: string;
  nodes?: string[];
  min_replicas?: number;
  wait_timeout_ms?: number;
  command_timeout_ms?: number;
}): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  const cluster = broker.nodes !== undefined || isClusterUri(broker.uri);
  if (broker.provider !== 'inline' && !broker.uri && !broker.nodes) {
    problems.push({ path: ['uri'], message: `required for provider "${broker.provider}"` });
  }
  if (broker.nodes && broker.uri) {
    problems.push({
      path: ['nodes'],
      message: 'give either uri or nodes, not both (credentials: redis+cluster://user:pw@h:p,…)',
    });
  }
  if (cluster && broker.provider === 'redis_pubsub') {
    problems.push({
      path: [broker.nodes ? 'nodes' : 'uri'],
      message: 'Redis Cluster is supported by provider "redis" only',
    });
  }
  const commandTimeout = broker.command_timeout_ms ?? BROKER_DEFAULTS.command_timeout_ms;
  const waitTimeout = broker.wait_timeout_ms ?? BROKER_DEFAULTS.wait_timeout_ms;
  if (broker.min_replicas && waitTimeout >= commandTimeout) {
    problems.push({
      path: ['wait_timeout_ms'],
      message: `must be less than command_timeout_ms (${commandTimeout})`,
    });
  }
  return problems;
}

/** A `postgresql` event store without `database_uri` shares `databases.default`. */
const eventStoreSchema = z.strictObject({
  provider: z.enum(EVENT_STORE_PROVIDERS),
  database_uri: uri(POSTGRES_SCHEMES).optional(),
});

/** Settings a subscription can take, at every level of the precedence chain. */
export const subscriptionSettingsSchema = z.strictObject({
  subscription_type: z.enum(SUBSCRIPTION_TYPES).optional(),
  subscription_profile: z.enum(SUBSCRIPTION_PROFILES).optional(),
  /** Messages read per tick (the read batch size). */
  messages_per_tick: integer(1).optional(),
  /** Seconds to pause between ticks (0: none; blocking reads pace the loop). */
  tick_interval: number(0).optional(),
  /** Longest wait of one blocking read, in ms (always bounded). */
  blocking_timeout_ms: integer(1).optional(),
  /** Retries after the first attempt before a message is dead-lettered. */
  max_retries: integer(0).optional(),
  /** Base of the exponential retry backoff, in seconds. */
  retry_delay_seconds: number(0).optional(),
  /** Cap of the retry backoff, in seconds. */
  max_retry_delay_seconds: number(0).optional(),
  /** Dead-letter exhausted and invalid messages to `<stream>:dlq`. */
  enable_dlq: flag().optional(),
  /** event_store subscriptions: save the position every N messages. */
  position_update_interval: integer(1).optional(),
  /** Trim the stream to about this many entries (never past unacknowledged ones); 0: never. */
  retention_maxlen: integer(0).optional(),
  /** Messages handled at once (never two of one aggregate). */
  concurrency: integer(1).optional(),
  /** A message pending this long (ms) on a stopped consumer is taken over. */
  min_idle_ms: integer(1).optional(),
  /** Consecutive failures that open the circuit breaker (0: never). */
  circuit_breaker_threshold: integer(0).optional(),
  /** Seconds the breaker stays open before a probe message is let through. */
  circuit_breaker_reset_seconds: number(0).optional(),
  /**
   * Longest time, in seconds, a message keeps retrying optimistic-concurrency conflicts in
   * place (while others make progress) before the conflict counts as a failed attempt.
   */
  max_conflict_retry_seconds: number(0).optional(),
});

const serverSchema = subscriptionSettingsSchema
  .omit({ subscription_type: true, subscription_profile: true })
  .extend({
    /** The subscription type of handlers that name none (default: the profile's, else stream). */
    default_subscription_type: z.enum(SUBSCRIPTION_TYPES).optional(),
    default_subscription_profile: z.enum(SUBSCRIPTION_PROFILES).optional(),
    /** Seconds the engine waits for in-flight messages at shutdown. */
    shutdown_grace_seconds: number(0).default(10),
    /** Run the outbox processor inside the engine. */
    run_outbox_processor: flag().default(true),
    /**
     * The handlers this worker runs (a pool), by name, matched case-insensitively; empty: every
     * handler. `protean server --handlers`.
     */
    handlers: names().default([]),
    /** Handlers this worker leaves to other pools. `protean server --exclude`. */
    exclude: names().default([]),
    /**
     * Seconds a worker's lease on a partition lasts without renewal (renewed five times as
     * often): how soon a stopped worker's partitions are taken over.
     */
    partition_lease_seconds: number(1).default(10),
    health: z
      .strictObject({
        /** The worker's probe port: /healthz, /readyz, /health, /metrics (0: none). */
        port: integer(0).default(8080),
        /** Outbox rows waiting to be published above which health reports `degraded`. */
        outbox_max_backlog: integer(0).default(1000),
        /** Age in seconds of the oldest waiting outbox row above which health reports `degraded`. */
        outbox_max_age_seconds: number(0).default(300),
      })
      .prefault({}),
    /** Per-handler settings, by handler name (matched case-insensitively). */
    subscriptions: z.record(z.string(), subscriptionSettingsSchema).default({}),
  });

/**
 * A stream category of the domain (`bookshelf::order`, `bookshelf::order:command`): no
 * instance id (`-`), no partition (`#`), no blank.
 */
const STREAM_CATEGORY = /^[^\s#-]+::[^\s#-]+$/;

/** Settings of one stream category, under `[streams."<domain>::<category>"]`. */
const streamSchema = z.strictObject({
  /**
   * Partitioned streams: a message goes to `<category>#<k>`, k = FNV-1a(aggregate id) mod N, and
   * each partition is read by one consumer of a group at a time. 1: one stream, as before.
   */
  partitions: integer(1, MAX_PARTITIONS).default(1),
});

const outboxSchema = z.strictObject({
  broker: z.string().default('default'),
  messages_per_tick: integer(1).default(10),
  tick_interval: number(0).default(1),
  /** Seconds a claimed batch stays leased to its processor before another may take it over. */
  lease_seconds: number(1).default(30),
  /**
   * A process that runs the outbox relay publishes the rows it commits right after the commit
   * (each written leased to it), the relay sweeping what that leaves; off, every row waits for
   * the relay. A producer-only process always leaves its rows to the relays.
   */
  publish_after_commit: flag().default(true),
  retry: z
    .strictObject({
      max_attempts: integer(1).default(3),
      base_delay_seconds: number(0).default(60),
      max_delay_seconds: number(0).default(3600),
      /** Fraction of the delay added or removed at random (0 disables jitter). */
      jitter: number(0, 1).default(0.2),
    })
    .prefault({}),
  cleanup: z
    .strictObject({
      enabled: flag().default(true),
      published_retention_hours: number(0).default(168),
      abandoned_retention_hours: number(0).default(720),
      interval_seconds: number(1).default(3600),
      batch_size: integer(1).default(1000),
    })
    .prefault({}),
});

export const configurationSchema = z
  .strictObject({
    debug: flag().default(false),
    event_processing: z.enum(PROCESSING_MODES).default('sync'),
    command_processing: z.enum(PROCESSING_MODES).default('sync'),
    enable_outbox: flag().default(false),
    databases: z.record(z.string(), databaseSchema).default({
      default: {
        provider: 'memory',
        pool_size: 10,
        schema: 'public',
        table_prefix: '',
        auto_migrate: true,
      },
    }),
    brokers: z.record(z.string(), brokerSchema).default({
      default: {
        provider: 'inline',
        max_payload_bytes: BROKER_DEFAULTS.max_payload_bytes,
        max_stream_length: BROKER_DEFAULTS.max_stream_length,
      },
    }),
    event_store: eventStoreSchema.default({ provider: 'memory' }),
    server: serverSchema.prefault({}),
    outbox: outboxSchema.prefault({}),
    /** Per stream category (`"bookshelf::order"`): partitions. */
    streams: z.record(z.string(), streamSchema).default({}),
    observatory: z
      .strictObject({
        token: z.string().min(1).optional(),
        /** Seconds a session cookie from `/observatory?token=` stays valid (default 8 hours). */
        session_ttl_seconds: integer(60).default(8 * 60 * 60),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    if (!config.databases.default) {
      ctx.addIssue({
        code: 'custom',
        path: ['databases', 'default'],
        message: 'a default database is required',
      });
    }
    if (!config.brokers.default) {
      ctx.addIssue({
        code: 'custom',
        path: ['brokers', 'default'],
        message: 'a default broker is required',
      });
    }
    if (!config.brokers[config.outbox.broker]) {
      ctx.addIssue({
        code: 'custom',
        path: ['outbox', 'broker'],
        message: `names no configured broker (have: ${Object.keys(config.brokers).join(', ')})`,
      });
    }
    for (const category of Object.keys(config.streams)) {
      if (!STREAM_CATEGORY.test(category)) {
        ctx.addIssue({
          code: 'custom',
          path: ['streams', category],
          message:
            'expected a stream category such as "bookshelf::order" or "bookshelf::order:command"',
        });
      }
    }
    for (const [handler, settings] of Object.entries(config.server.subscriptions)) {
      const type =
        settings.subscription_type ??
        config.server.default_subscription_type ??
        DEFAULT_SUBSCRIPTION_TYPE;
      const problem = deadLetterProblem(type, settings.enable_dlq);
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          path: ['server', 'subscriptions', handler, 'enable_dlq'],
          message: problem,
        });
      }
    }
  });

/** The validated configuration: Protean's `domain.toml` keys with every default filled in. */
export type ProteanConfig = z.output<typeof configurationSchema>;
export type DatabaseConfig = ProteanConfig['databases'][string];
export type BrokerConfig = ProteanConfig['brokers'][string];
export type OutboxConfig = ProteanConfig['outbox'];
export type ServerConfig = ProteanConfig['server'];
export type SubscriptionSettings = z.output<typeof subscriptionSettingsSchema>;
export type ProcessingMode = (typeof PROCESSING_MODES)[number];
