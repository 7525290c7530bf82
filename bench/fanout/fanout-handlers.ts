import { Controller, Module } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { EventHandler } from 'nestjs-protean';
import { Pinged } from '../consume/bench-domain.js';

/** Deliveries seen by the five handlers; the benchmark waits for `target`. */
export const deliveries = { value: 0, target: Infinity, reached: () => {} };

function delivered(): void {
  if (++deliveries.value === deliveries.target) deliveries.reached();
}

// Five handlers of one event: five consumer groups on our side, five subscribers on Nest's.
@EventHandler(Pinged)
export class FirstPingHandler {
  async handle(): Promise<void> {
    delivered();
  }
}
@EventHandler(Pinged)
export class SecondPingHandler {
  async handle(): Promise<void> {
    delivered();
  }
}
@EventHandler(Pinged)
export class ThirdPingHandler {
  async handle(): Promise<void> {
    delivered();
  }
}
@EventHandler(Pinged)
export class FourthPingHandler {
  async handle(): Promise<void> {
    delivered();
  }
}
@EventHandler(Pinged)
export class FifthPingHandler {
  async handle(): Promise<void> {
    delivered();
  }
}

@Module({
  providers: [
    FirstPingHandler,
    SecondPingHandler,
    ThirdPingHandler,
    FourthPingHandler,
    FifthPingHandler,
  ],
})
export class ProteanFanOutModule {}

/** The Nest Redis transport's event pattern. */
export const PINGED_PATTERN = 'bench.pinged';

@Controller()
class FirstPingController {
  @EventPattern(PINGED_PATTERN)
  handle(_event: unknown): void {
    delivered();
  }
}
@Controller()
class SecondPingController {
  @EventPattern(PINGED_PATTERN)
  handle(_event: unknown): void {
    delivered();
  }
}
@Controller()
class ThirdPingController {
  @EventPattern(PINGED_PATTERN)
  handle(_event: unknown): void {
    delivered();
  }
}
@Controller()
class FourthPingController {
  @EventPattern(PINGED_PATTERN)
  handle(_event: unknown): void {
    delivered();
  }
}
@Controller()
class FifthPingController {
  @EventPattern(PINGED_PATTERN)
  handle(_event: unknown): void {
    delivered();
  }
}

@Module({
  controllers: [
    FirstPingController,
    SecondPingController,
    ThirdPingController,
    FourthPingController,
    FifthPingController,
  ],
})
export class NestRedisFanOutModule {}
