import { HttpException, Injectable, type OnModuleInit } from '@nestjs/common';
import { WorkerEndpoints, type EndpointResponse } from '../../runtime/server/worker-endpoints.js';
import { ProteanHealth } from './protean-health.js';

/** Serves the terminus health report at `/health` on a worker's probe port. */
@Injectable()
export class WorkerHealthEndpoint implements OnModuleInit {
  constructor(
    private readonly health: ProteanHealth,
    private readonly endpoints: WorkerEndpoints,
  ) {}

  onModuleInit(): void {
    this.endpoints.add('/health', () => this.answer());
  }

  private async answer(): Promise<EndpointResponse> {
    try {
      return json(200, await this.health.check('full'));
    } catch (error) {
      if (error instanceof HttpException) return json(error.getStatus(), error.getResponse());
      throw error;
    }
  }
}

function json(status: number, body: unknown): EndpointResponse {
  return { status, contentType: 'application/json', body: JSON.stringify(body) };
}
