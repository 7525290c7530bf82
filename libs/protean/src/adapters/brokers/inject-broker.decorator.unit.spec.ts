import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Broker } from '../../ports/broker/broker.port.js';
import { getBrokerToken, InjectBroker, requestedBrokerNames } from './inject-broker.decorator.js';
import { InlineBroker } from '../memory/inline-broker/inline.broker.js';

@Injectable()
class AuditPublisher {
  constructor(
    @InjectBroker() readonly main: Broker,
    @InjectBroker('audit') readonly audit: Broker,
  ) {}
}

describe('InjectBroker', () => {
  it('records every requested name, so a module can provide a token for each', () => {
    expect(requestedBrokerNames).toEqual(new Set(['default', 'audit']));
    expect(getBrokerToken()).toBe('ProteanBroker:default');
    expect(getBrokerToken('audit')).toBe('ProteanBroker:audit');
  });

  it('injects the broker provided under its token', async () => {
    const settings = { maxPayloadBytes: 1024, maxStreamLength: 0 };
    const main = new InlineBroker('default', settings);
    const audit = new InlineBroker('audit', settings);
    const module = await Test.createTestingModule({
      providers: [
        AuditPublisher,
        { provide: getBrokerToken(), useValue: main },
        { provide: getBrokerToken('audit'), useValue: audit },
      ],
    }).compile();
    const publisher = module.get(AuditPublisher);
    expect(publisher.main).toBe(main);
    expect(publisher.audit).toBe(audit);
    await module.close();
  });
});
