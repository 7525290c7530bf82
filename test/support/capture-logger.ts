import type { LoggerService } from '@nestjs/common';

/** A real Nest logger that keeps what it is given, so tests can read the log. */
export class CaptureLogger implements LoggerService {
  readonly lines: Array<{ level: string; message: string; context?: string }> = [];

  log(message: unknown, context?: string) {
    this.keep('log', message, context);
  }
  error(message: unknown, _trace?: string, context?: string) {
    this.keep('error', message, context);
  }
  warn(message: unknown, context?: string) {
    this.keep('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.keep('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.keep('verbose', message, context);
  }

  errors(): string[] {
    return this.lines.filter((line) => line.level === 'error').map((line) => line.message);
  }

  private keep(level: string, message: unknown, context?: string) {
    this.lines.push({
      level,
      message: typeof message === 'string' ? message : JSON.stringify(message),
      context,
    });
  }
}
