import { Module } from '@nestjs/common';

/**
 * Holds the `OutboxEventPublisher` that `CqrsModule.forRootAsync` receives from
 * `ProteanCqrsModule.forRoot()`: its providers are given there, with the options.
 */
@Module({})
export class CqrsPublisherModule {}
