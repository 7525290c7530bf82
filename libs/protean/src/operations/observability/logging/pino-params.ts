import { hasColours } from './colours.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream } from 'pino';
import type PinoPretty from 'pino-pretty';
import { CorrelationContext } from '../../../core/context/correlation-context.js';
import { CORRELATION_HEADER } from '../../../runtime/correlation.middleware.js';
import { correlationLogFields } from './correlation-log-fields.js';
import type { LogSettings } from './log-settings.js';

/** Paths polled by probes, scrapers and the Observatory page: not worth a line per request. */
const QUIET_PATHS = /^\/(metrics|health|healthz|readyz|observatory)(\/|\?|$)/;
/** Query parameters whose values never reach a log line. */
const SECRET_QUERY = /([?&](?:token|access_token|api_key)=)[^&]*/gi;

interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
}

/**
 * nestjs-pino's parameters for `settings`: one pino logger for the application's own lines
 * (Nest's `Logger` included) and for its HTTP requests. Lines carry the correlation fields;
 * requests are logged as method, path and status — never headers, bodies or secrets in URLs.
 */
export function pinoParams(settings: LogSettings): Params {
  const options = {
    level: settings.level,
    ...(settings.name ? { name: settings.name } : {}),
    mixin: correlationLogFields,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], remove: true },
    serializers: {
      req: (req: SerializedRequest) => ({
        id: req.id,
        method: req.method,
        url: withoutSecrets(req.url),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    quietReqLogger: true,
    autoLogging: {
      ignore: (req: IncomingMessage) => req.method === 'GET' && QUIET_PATHS.test(req.url ?? ''),
    },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
      error || res.statusCode >= 500 ? 'error' : 'info',
    customSuccessMessage: (req: IncomingMessage, res: ServerResponse) =>
      `${req.method} ${withoutSecrets(req.url)} ${res.statusCode}`,
    customErrorMessage: (req: IncomingMessage, res: ServerResponse) =>
      `${req.method} ${withoutSecrets(req.url)} ${res.statusCode}`,
    // The request line is written when the response finishes, outside the request's
    // correlation context: take the id the correlation middleware answered with.
    customProps: (_req: IncomingMessage, res: ServerResponse) => {
      if (CorrelationContext.current()) return {};
      const id = res.getHeader(CORRELATION_HEADER);
      return typeof id === 'string' ? { correlationId: id } : {};
    },
  };
  return { pinoHttp: [options, destinationOf(settings)] };
}

/** JSON lines written synchronously (nothing lost at exit), or pino-pretty's text. */
function destinationOf(settings: LogSettings): DestinationStream {
  if (settings.format === 'json') {
    return pino.destination({ dest: settings.destination, sync: true });
  }
  const stream = settings.destination === 1 ? process.stdout : process.stderr;
  // Loaded only for the pretty format: JSON processes (production) never pay for it.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pretty({
    destination: settings.destination,
    sync: true,
    // A terminal only (FORCE_COLOR aside), and never with NO_COLOR.
    colorize: Boolean(stream.isTTY) && hasColours(stream),
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,name,context,req,res,requestId,responseTime',
    messageFormat: '{if context}[{context}] {end}{msg}',
  });
}

function withoutSecrets(url: string | undefined): string {
  return (url ?? '').replace(SECRET_QUERY, '$1[redacted]');
}
