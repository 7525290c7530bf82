import { MissingPeerDependencyError } from './missing-peer-dependency.error.js';
import { requireOptionalPeer } from './optional-peer.js';

const notFound = (name: string) =>
  Object.assign(new Error(`Cannot find module '${name}'\nRequire stack:\n- /app/x.js`), {
    code: 'MODULE_NOT_FOUND',
  });

describe('requireOptionalPeer', () => {
  it('returns the package when it is installed', () => {
    const ioredis = requireOptionalPeer<{ Redis: unknown }>('ioredis');
    expect(typeof ioredis.Redis).toBe('function');
  });

  it('names the package to install, in one line, when it is missing', () => {
    const missing = () =>
      requireOptionalPeer('ioredis', () => {
        throw notFound('ioredis');
      });
    expect(missing).toThrow(MissingPeerDependencyError);
    expect(missing).toThrow(
      /^A redis or redis_pubsub broker needs the package "ioredis": npm install ioredis$/,
    );
  });

  it('names pg and typeorm for PostgreSQL', () => {
    expect(() =>
      requireOptionalPeer('typeorm', () => {
        throw notFound('typeorm');
      }),
    ).toThrow(
      'A postgresql database, event store or outbox needs the package "typeorm": npm install typeorm',
    );
  });

  it('lets any other failure through unchanged (a package that is there but broken)', () => {
    const broken = new Error("Cannot find module './lib/missing-file.js'");
    Object.assign(broken, { code: 'MODULE_NOT_FOUND' });
    expect(() =>
      requireOptionalPeer('pg', () => {
        throw broken;
      }),
    ).toThrow(broken);
  });
});
