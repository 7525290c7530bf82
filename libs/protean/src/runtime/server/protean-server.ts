import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { ConfigurationError } from '../../core/config/configuration.error.js';
import { UndeliverableSubscriptionsError } from '../../core/config/undeliverable-subscriptions.error.js';
import type { ProteanEngine } from './protean-engine.js';
import type { WorkerEndpoints } from './worker-endpoints.js';
import { WorkerHealthServer } from './worker-health.server.js';
import { messageOf } from '../../core/errors/error-message.js';
import { EngineNotBoundError } from './engine-not-bound.error.js';

/**
 * The server engine as a Nest microservice custom transport. `listen()` starts the engine's
 * subscriptions (plus one per `@EventPattern('<stream>')` handler), `close()` drains them.
 *
 * ```ts
 * const app = await createProteanWorker(WorkerModule);   // NestFactory.createMicroservice inside
 * await app.listen();
 * ```
 */
export class ProteanServer extends Server implements CustomTransportStrategy {
  private engine: ProteanEngine | undefined;
  private endpoints: WorkerEndpoints | undefined;
  private health: WorkerHealthServer | undefined;
  private readonly log = new Logger(ProteanServer.name);

  /** `healthPort`: serve `/healthz` and `/readyz` there while listening (0: none). */
  constructor(private readonly options: { healthPort?: number } = {}) {
    super();
  }

  /**
   * Connects the engine from the application's container (done by `createProteanWorker`), and
   * the extra endpoints the probe port serves (`/metrics`, `/health`).
   */
  bind(engine: ProteanEngine, endpoints?: WorkerEndpoints): this {
    this.engine = engine;
    this.endpoints = endpoints;
    return this;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const engine = this.engine;
      if (!engine) throw new EngineNotBoundError();
      if (this.options.healthPort) {
        this.health = new WorkerHealthServer(
          this.options.healthPort,
          () => engine.ready,
          engine.probe,
          this.endpoints,
        );
        await this.health.start();
      }
      await engine.start(this.eventPatternHandlers());
      callback();
    } catch (error) {
      // The worker prints this one as its single line (exit 78).
      if (error instanceof UndeliverableSubscriptionsError || error instanceof ConfigurationError)
        return callback(error);
      this.log.error(`Engine failed to start: ${messageOf(error)}`);
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.engine?.stop();
    await this.health?.stop();
  }

  /** Nest transports expose client events here; the engine has none. */
  on(): void {}

  /** The engine this transport runs. */
  unwrap<T>(): T {
    if (!this.engine) throw new EngineNotBoundError();
    return this.engine as T;
  }

  private eventPatternHandlers(): Map<string, MessageHandler> {
    const patterns = new Map<string, MessageHandler>();
    for (const [pattern, handler] of this.getHandlers()) {
      if (!handler.isEventHandler) {
        this.log.warn(
          `@MessagePattern('${pattern}') is not supported by Protean streams; use @EventPattern`,
        );
        continue;
      }
      patterns.set(pattern, handler);
    }
    return patterns;
  }
}
