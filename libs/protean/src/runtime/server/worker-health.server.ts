import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import type { DependencyProbe } from './dependency-probe.js';
import type { WorkerEndpoints } from './worker-endpoints.js';
import { messageOf } from '../../core/errors/error-message.js';

/**
 * The worker's probes on `server.health.port`: `/healthz` (liveness: the event loop answers)
 * and `/readyz` (readiness: the engine runs and every dependency the {@link DependencyProbe} names
 * answers; 503 otherwise, and from the moment shutdown begins), plus the GET endpoints modules add to `WorkerEndpoints`
 * (`/metrics`, `/health`).
 */
export class WorkerHealthServer {
  private readonly logger = new Logger(WorkerHealthServer.name);
  private server: Server | undefined;

  constructor(
    private readonly port: number,
    private readonly isReady: () => boolean,
    private readonly dependencies: Pick<DependencyProbe, 'dependencies' | 'probe'>,
    private readonly endpoints?: WorkerEndpoints,
  ) {}

  async start(): Promise<void> {
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(this.port, () => done());
    });
    this.server = server;
    const paths = ['/healthz', '/readyz', ...(this.endpoints?.paths() ?? [])];
    this.logger.log(`Probes on http://localhost:${this.port}: ${paths.join(' ')}`);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/healthz') return send(response, 200, { status: 'ok' });
    if (path === '/readyz') {
      const details: Record<string, string> = { engine: this.isReady() ? 'up' : 'down' };
      await Promise.all(
        this.dependencies.dependencies().map(async (name) => {
          const probe = await this.dependencies.probe(name);
          details[name] = probe.up ? 'up' : `down: ${probe.error}`;
        }),
      );
      const ready = Object.values(details).every((state) => state === 'up');
      return send(response, ready ? 200 : 503, { status: ready ? 'ok' : 'unavailable', details });
    }
    const endpoint = request.method === 'GET' ? this.endpoints?.get(path) : undefined;
    if (endpoint) {
      try {
        const answer = await endpoint();
        response.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
      } catch (error) {
        this.logger.error(`${path} failed: ${messageOf(error)}`);
        send(response, 500, { status: 'error' });
      }
      return;
    }
    send(response, 404, { status: 'not found' });
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
