import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import type { Broker } from '../ports/broker/broker.port.js';
import { InjectBroker } from '../adapters/brokers/inject-broker.decorator.js';
import { CommandBus } from '../application/command-bus.js';
import { loadConfiguration } from '../core/config/load-configuration.js';
import { ProteanModule } from './protean.module.js';
import { PROTEAN_CONFIG } from '../core/protean.tokens.js';
import type { ProteanConfig } from '../core/config/config.schema.js';
import { UnknownBrokerError } from '../ports/broker/unknown-broker.error.js';
import { UndeclaredBrokerError } from './undeclared-broker.error.js';

const withAudit = () =>
  loadConfiguration({
    embedded: true,
    overrides: { brokers: { default: { provider: 'inline' }, audit: { provider: 'inline' } } },
  });

@Injectable()
class UsesTheBroker {
  constructor(@InjectBroker() readonly broker: Broker) {}
}

@Module({ providers: [UsesTheBroker], exports: [UsesTheBroker] })
class FeatureModule {}

describe('ProteanModule', () => {
  it('forRootAsync builds its options from injected providers (here @nestjs/config)', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          load: [() => ({ PROTEAN_DOMAIN_NAME: 'shop' })],
        }),
        ProteanModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (settings: ConfigService) => ({
            domain: settings.getOrThrow<string>('PROTEAN_DOMAIN_NAME'),
            config: loadConfiguration({
              embedded: true,
              overrides: { command_processing: 'async' },
            }),
          }),
        }),
        FeatureModule,
      ],
    }).compile();
    await moduleRef.init();

    expect(moduleRef.get<ProteanConfig>(PROTEAN_CONFIG).command_processing).toBe('async');
    expect(moduleRef.get(CommandBus).isAsync).toBe(true);
    const { broker } = moduleRef.get(UsesTheBroker);
    expect(broker).toMatchObject({ name: 'default', provider: 'inline' });
    await moduleRef.close();
  });

  it('is global: a feature module gets the buses without importing it', async () => {
    @Injectable()
    class NeedsTheBus {
      constructor(readonly commands: CommandBus) {}
    }
    @Module({ providers: [NeedsTheBus] })
    class Feature {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        ProteanModule.forRoot({ domain: 'shop', config: loadConfiguration({ embedded: true }) }),
        Feature,
      ],
    }).compile();
    expect(moduleRef.get(NeedsTheBus).commands).toBeInstanceOf(CommandBus);
    await moduleRef.close();
  });

  describe('named brokers (@InjectBroker)', () => {
    @Injectable()
    class AuditTrail {
      constructor(@InjectBroker('audit') readonly audit: Broker) {}
    }

    it('provides every broker of the configuration given to forRoot', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [ProteanModule.forRoot({ domain: 'shop', config: withAudit() })],
        providers: [AuditTrail],
      }).compile();
      await moduleRef.init();
      expect(moduleRef.get(AuditTrail).audit).toMatchObject({ name: 'audit', provider: 'inline' });
      await moduleRef.close();
    });

    it('provides the names listed in forRootAsync, whose configuration comes at runtime', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          ProteanModule.forRootAsync({
            brokers: ['audit'],
            useFactory: () => ({ domain: 'shop', config: withAudit() }),
          }),
        ],
        providers: [AuditTrail],
      }).compile();
      await moduleRef.init();
      expect(moduleRef.get(AuditTrail).audit).toMatchObject({ name: 'audit' });
      await moduleRef.close();
    });

    it('refuses to start on a broker that is not configured, naming it and the configured ones', async () => {
      @Injectable()
      class AsksForUnknown {
        constructor(@InjectBroker('unknown') readonly broker: Broker) {}
      }
      const moduleRef = await Test.createTestingModule({
        imports: [ProteanModule.forRoot({ domain: 'shop', config: withAudit() })],
        providers: [AsksForUnknown],
      }).compile();
      const init = moduleRef.init();
      await expect(init).rejects.toThrow(UnknownBrokerError);
      await expect(init).rejects.toThrow(
        'No broker named "unknown" is configured (have: default, audit)',
      );
      await moduleRef.close();
    });

    it('refuses a configured broker forRootAsync was not told of, saying how to list it', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          ProteanModule.forRootAsync({
            useFactory: () => ({ domain: 'shop', config: withAudit() }),
          }),
        ],
        providers: [AuditTrail],
      }).compile();
      const init = moduleRef.init();
      await expect(init).rejects.toThrow(UndeclaredBrokerError);
      await expect(init).rejects.toThrow("brokers: ['audit']");
      await moduleRef.close();
    });
  });
});
