import { type Broker, BrokerConnectionError } from 'nestjs-protean';
import { within, readUntil } from 'nestjs-protean/testing';
import { redisBroker } from '../../support/redis-broker.js';
import { SpawnedRedis } from '../../support/spawned-redis.js';
import { makeTlsCertificates } from '../../support/tls-certificates.js';

/* `rediss://`: TLS to a private redis-server whose certificate a throw-away CA signed. */
describe('redis: TLS (rediss://)', () => {
  const certificates = makeTlsCertificates();
  let server: SpawnedRedis;
  const brokers: Broker[] = [];
  const open = (tlsCaFile?: string) => {
    const broker = redisBroker(server.url(), { tls_ca_file: tlsCaFile });
    brokers.push(broker);
    return broker;
  };

  beforeAll(async () => {
    server = await SpawnedRedis.start({ tls: certificates });
  }, 15_000);

  afterAll(async () => {
    await Promise.all(brokers.map((broker) => broker.close()));
    await server.stop();
    certificates.remove();
  }, 15_000);

  it('publishes and reads over TLS when the CA is configured', async () => {
    const broker = open(certificates.ca);
    expect(server.url()).toMatch(/^rediss:\/\//);
    await broker.ping();
    await broker.publish({ stream: 'secure', data: '{"tls":true}' });
    const [message] = await readUntil(broker, 'secure', 'G', 'c', 1);
    expect(message.data).toBe('{"tls":true}');
  }, 15_000);

  it('fails fast, naming the broker, when the certificate cannot be verified', async () => {
    const broker = open();
    const failure = within(broker.ping(), 4000, 'ping with an unknown CA');
    await expect(failure).rejects.toThrow(BrokerConnectionError);
    await expect(failure).rejects.toThrow(
      /^Broker "default" \(redis\) could not connect to rediss:\/\/127\.0\.0\.1:\d+: .*certificate/,
    );
  }, 15_000);

  it('says that TLS may be the cause when rediss:// meets a server without TLS', async () => {
    const plain = await SpawnedRedis.start();
    const broker = redisBroker(plain.url().replace(/^redis:/, 'rediss:'), {
      connect_timeout_ms: 500,
      command_timeout_ms: 1000,
    });
    brokers.push(broker);
    try {
      const failure = within(broker.ping(), 6000, 'ping over TLS to a plain port');
      await expect(failure).rejects.toThrow(BrokerConnectionError);
      await expect(failure).rejects.toThrow(
        /^Broker "default" \(redis\) at rediss:\/\/127\.0\.0\.1:\d+ could not answer PING: .*; the URI asks for TLS \(rediss:\/\/\): if the server does not speak TLS on that port, use redis:\/\//,
      );
    } finally {
      await plain.stop();
    }
  }, 15_000);
});
