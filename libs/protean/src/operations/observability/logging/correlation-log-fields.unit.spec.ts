import { CorrelationContext } from '../../../core/context/correlation-context.js';
import { correlationLogFields } from './correlation-log-fields.js';

describe('correlation fields on log lines', () => {
  it('adds nothing outside of any work', () => {
    expect(correlationLogFields()).toEqual({});
  });

  it('adds the correlation id of an HTTP request', () => {
    CorrelationContext.run({ correlationId: 'req-1', causationId: 'req-1' }, () => {
      expect(correlationLogFields()).toEqual({ correlationId: 'req-1' });
    });
  });

  it('adds the message id and handler while a message is handled, across awaits', async () => {
    const ids = {
      correlationId: 'req-1',
      causationId: 'msg-9',
      messageId: 'msg-9',
      handler: 'ReserveStockHandler',
    };
    await CorrelationContext.run(ids, async () => {
      await new Promise((next) => setTimeout(next, 1));
      expect(correlationLogFields()).toEqual({
        correlationId: 'req-1',
        messageId: 'msg-9',
        handler: 'ReserveStockHandler',
      });
    });
  });
});
