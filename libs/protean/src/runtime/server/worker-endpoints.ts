import { Injectable } from '@nestjs/common';

/** What a worker endpoint answers. */
export interface EndpointResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export type WorkerEndpoint = () => Promise<EndpointResponse>;

/**
 * Extra GET endpoints of the worker's small HTTP server on `server.health.port`, beside
 * `/healthz` and `/readyz`: modules add theirs at init (`/metrics`, `/health`). The worker has
 * no Nest HTTP platform; its endpoints stay this cheap on purpose.
 */
@Injectable()
export class WorkerEndpoints {
  private readonly endpoints = new Map<string, WorkerEndpoint>();

  /** Serves `answer` at `path` (an exact path, such as `/metrics`). */
  add(path: string, answer: WorkerEndpoint): void {
    this.endpoints.set(path, answer);
  }

  /** The endpoint at `path`, if any. */
  get(path: string): WorkerEndpoint | undefined {
    return this.endpoints.get(path);
  }

  /** The paths served. */
  paths(): string[] {
    return [...this.endpoints.keys()];
  }
}
