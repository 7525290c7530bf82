import type { ArgumentsHost } from '@nestjs/common';
import {
  BrokerConnectionError,
  ConcurrencyError,
  DatabaseUnavailableError,
  NotFoundError,
  ProteanError,
} from 'nestjs-protean';
import { translatePostgresError } from '../../../../libs/protean/src/adapters/postgresql/translate-postgres-error.js';
import { DomainErrorFilter } from './domain-error.filter.js';

function answer(error: ProteanError): { status: number; body: Record<string, unknown> } {
  const sent = { status: 0, body: {} as Record<string, unknown> };
  const response = {
    status(code: number) {
      sent.status = code;
      return { json: (body: Record<string, unknown>) => (sent.body = body) };
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as ArgumentsHost;
  new DomainErrorFilter().catch(error, host);
  return sent;
}

describe('DomainErrorFilter', () => {
  it('answers 503 when PostgreSQL cannot be reached, without naming where it runs', () => {
    const { status, body } = answer(
      new DatabaseUnavailableError('db.internal:5432/shop', 'connect ECONNREFUSED'),
    );
    expect(status).toBe(503);
    expect(body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The database is unavailable',
    });
  });

  it("answers 503 for pg-pool's connect timeout, once translated", () => {
    const error = translatePostgresError(
      new Error('timeout exceeded when trying to connect'),
      'db:5432/shop',
    ) as ProteanError;
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(answer(error).status).toBe(503);
  });

  it('answers 503 when the broker cannot be reached', () => {
    expect(answer(new BrokerConnectionError('default', 'Broker "default" is down')).status).toBe(
      503,
    );
  });

  it('keeps 404, 409 and 500 for what they mean', () => {
    expect(answer(new NotFoundError('Book', 'x')).status).toBe(404);
    expect(answer(new ConcurrencyError('book', 'x')).status).toBe(409);
    expect(answer(new ProteanError('boom'))).toEqual({
      status: 500,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' },
    });
  });
});
