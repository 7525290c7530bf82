import { Controller, Get, Header, Res } from '@nestjs/common';
import { ProteanMetrics } from './protean-metrics.js';

interface TypedResponse {
  type(contentType: string): { send(body: string): unknown };
}

/** `GET /metrics`: the application's Prometheus metrics. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ProteanMetrics) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Res() response: TypedResponse): Promise<void> {
    response.type(this.metrics.contentType).send(await this.metrics.metrics());
  }
}
