import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Broker } from '../../ports/broker/broker.port.js';
import { getBrokerToken, InjectBroker, injectedBrokerNames } from './inject-broker.decorator.js';
import { InlineBroker } from '../memory/inline-broker/inline.broker.js';

@Injectable()
class AuditPublisher {
  constructor(
    @InjectBroker() readonly main: Broker,
    @InjectBroker('audit') readonly audit: Broker,
  ) {}
}

@Injectable()
class ReportPublisher {
  @InjectBroker('reports') readonly reports!: Broker;
}

describe('InjectBroker', () => {
  it('records on each class the names it injects, and nowhere else', () => {
    expect([...injectedBrokerNames(AuditPublisher)].sort()).toEqual(['audit', 'default']);
    expect(injectedBrokerNames(ReportPublisher)).toEqual(['reports']);
    expect(injectedBrokerNames(class Unrelated {})).toEqual([]);
    expect(getBrokerToken()).toBe('ProteanBroker:default');
    expect(getBrokerToken('audit')).toBe('ProteanBroker:audit');
  });

  it('injects the broker provided under its token, into a parameter or a property', async () => {
    const settings = { maxPayloadBytes: 1024, maxStreamLength: 0 };
    const main = new InlineBroker('default', settings);
    const audit = new InlineBroker('audit', settings);
    const module = await Test.createTestingModule({
      providers: [
        AuditPublisher,
        ReportPublisher,
        { provide: getBrokerToken(), useValue: main },
        { provide: getBrokerToken('audit'), useValue: audit },
        { provide: getBrokerToken('reports'), useValue: audit },
      ],
    }).compile();
    const publisher = module.get(AuditPublisher);
    expect(publisher.main).toBe(main);
    expect(publisher.audit).toBe(audit);
    expect(module.get(ReportPublisher).reports).toBe(audit);
    await module.close();
  });
});
