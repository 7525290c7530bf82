import { createServer, type Server, type Socket } from 'node:net';

const SSL_REQUEST = 80877103;

/**
 * A stand-in PostgreSQL server that asks every client for its password (cleartext) and refuses
 * it as the real server does (SQLSTATE 28P01). The shared PostgreSQL trusts every local
 * connection, so this is how a test sees the product meet a wrong password; `passwords` holds
 * what clients sent, to prove the password did travel.
 */
export class PasswordRefusingPostgres {
  readonly passwords: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static start(): Promise<PasswordRefusingPostgres> {
    return new Promise((done, fail) => {
      const sockets = new Set<Socket>();
      let stub: PasswordRefusingPostgres;
      const server = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
        stub.converse(socket);
      });
      server.once('error', fail);
      server.listen(0, '127.0.0.1', () => {
        stub = new PasswordRefusingPostgres(server, (server.address() as { port: number }).port);
        server.on('close', () => sockets.forEach((socket) => socket.destroy()));
        done(stub);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }

  private converse(socket: Socket): void {
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(length);
          if (code === SSL_REQUEST) {
            socket.write('N');
            continue;
          }
          started = true;
          // AuthenticationCleartextPassword
          socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
          continue;
        }
        if (buffer.length < 5) return;
        const length = buffer.readInt32BE(1);
        if (buffer.length < length + 1) return;
        const type = String.fromCharCode(buffer[0]);
        const body = buffer.subarray(5, length + 1);
        buffer = buffer.subarray(length + 1);
        if (type === 'p') {
          this.passwords.push(body.toString('utf8').replace(/\0$/, ''));
          socket.end(refusal());
          return;
        }
      }
    });
  }
}

/** An ErrorResponse as PostgreSQL sends it for a wrong password. */
function refusal(): Buffer {
  const fields = [
    ['S', 'FATAL'],
    ['V', 'FATAL'],
    ['C', '28P01'],
    ['M', 'password authentication failed for user "faults"'],
  ];
  const body = Buffer.concat([
    ...fields.map(([code, text]) => Buffer.from(`${code}${text}\0`, 'utf8')),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
