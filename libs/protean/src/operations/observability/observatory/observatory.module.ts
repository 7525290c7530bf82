import { Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ProteanMetricsModule } from '../metrics/protean-metrics.module.js';
import { ProteanStatusModule } from '../status/protean-status.module.js';
import { DeadLetterBrowser } from './dead-letter-browser.js';
import { LiveThroughput } from './live-throughput.js';
import { ThroughputHistory } from './throughput-history.js';
import { ObservatoryApiController } from './observatory-api.controller.js';
import { ObservatoryAssets } from './observatory-assets.js';
import { ObservatoryAuth } from './observatory-auth.js';
import { ObservatoryPageController } from './observatory-page.controller.js';
import { ObservatoryGuard } from './observatory.guard.js';
import { MessageTrail } from './trail/message-trail.js';

/**
 * The Observatory: `GET /observatory`, a page for the people running the system — streams,
 * groups with lag and pending, live throughput per handler, the outbox, dead letters with
 * inspect / replay / purge, and message trails — and its JSON API under `/observatory/api`.
 * Static HTML, CSS and JavaScript served by Nest; nothing to build. Protected by
 * `observatory.token` when set. Import it in an HTTP application beside `ProteanModule`.
 */
@Module({
  imports: [ProteanStatusModule, ProteanMetricsModule],
  controllers: [ObservatoryPageController, ObservatoryApiController],
  providers: [
    ObservatoryAuth,
    ObservatoryGuard,
    ObservatoryAssets,
    LiveThroughput,
    MessageTrail,
    DeadLetterBrowser,
    ThroughputHistory,
  ],
})
export class ObservatoryModule implements OnApplicationBootstrap {
  constructor(private readonly auth: ObservatoryAuth) {}

  onApplicationBootstrap(): void {
    if (!this.auth.required) {
      new Logger('Observatory').warn(
        'The Observatory (/observatory) has no token: anyone who reaches this port can replay ' +
          'and purge dead letters. Set observatory.token (PROTEAN_OBSERVATORY__TOKEN).',
      );
    }
  }
}
