import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import {
  BrokerConnectionError,
  ConcurrencyError,
  DatabaseUnavailableError,
  DomainRuleError,
  InvalidMessageError,
  NotFoundError,
  ProteanError,
  ValidationError,
} from 'nestjs-protean';

interface JsonResponder {
  status(code: number): { json(body: unknown): unknown };
}

/** Answers Protean's typed errors with the HTTP status and JSON shape of Nest's own errors. */
@Catch(ProteanError)
export class DomainErrorFilter implements ExceptionFilter {
  catch(error: ProteanError, host: ArgumentsHost): void {
    const [statusCode, label, message] = describe(error);
    host
      .switchToHttp()
      .getResponse<JsonResponder>()
      .status(statusCode)
      .json({ statusCode, error: label, message });
  }
}

function describe(error: ProteanError): [number, string, string | readonly string[]] {
  if (error instanceof NotFoundError) return [HttpStatus.NOT_FOUND, 'Not Found', error.message];
  if (error instanceof ValidationError || error instanceof InvalidMessageError) {
    return [HttpStatus.BAD_REQUEST, 'Bad Request', error.problems];
  }
  if (error instanceof DomainRuleError)
    return [HttpStatus.UNPROCESSABLE_ENTITY, 'Unprocessable Entity', error.message];
  if (error instanceof ConcurrencyError) return [HttpStatus.CONFLICT, 'Conflict', error.message];
  // Nothing was stored; the caller may retry. Which host is down is for the logs, not clients.
  if (error instanceof DatabaseUnavailableError)
    return [HttpStatus.SERVICE_UNAVAILABLE, 'Service Unavailable', 'The database is unavailable'];
  if (error instanceof BrokerConnectionError)
    return [HttpStatus.SERVICE_UNAVAILABLE, 'Service Unavailable', 'The broker is unavailable'];
  return [HttpStatus.INTERNAL_SERVER_ERROR, 'Internal Server Error', 'Internal server error'];
}
