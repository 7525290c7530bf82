import { Module } from '@nestjs/common';
import { ProteanStatus } from './protean-status.js';

/** The operational status of the application, shared by metrics, health, the Observatory and the CLI. */
@Module({ providers: [ProteanStatus], exports: [ProteanStatus] })
export class ProteanStatusModule {}
