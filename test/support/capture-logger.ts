import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';

/** A real Nest logger that keeps what it is given, so tests can read the log. */
export class CaptureLogger implements LoggerService {
  readonly lines: Array<{ level: string; message: string; context?: string }> = [];
  /** Every call as printed, all its arguments included (`<level> <message> <rest…>`). */
  readonly printed: string[] = [];

  log(message: unknown, ...rest: unknown[]) {
    this.keep('log', message, rest, rest[0]);
  }
  error(message: unknown, ...rest: unknown[]) {
    // Nest passes (message, trace?, context?).
    this.keep('error', message, rest, rest[1]);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.keep('warn', message, rest, rest[0]);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.keep('debug', message, rest, rest[0]);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.keep('verbose', message, rest, rest[0]);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.keep('fatal', message, rest, rest[0]);
  }

  errors(): string[] {
    return this.lines.filter((line) => line.level === 'error').map((line) => line.message);
  }

  private keep(level: string, message: unknown, rest: unknown[], context: unknown) {
    this.printed.push(`${level} ${String(message)} ${rest.map(String).join(' ')}`);
    this.lines.push({
      level,
      message: typeof message === 'string' ? message : JSON.stringify(message),
      context: context as string | undefined,
    });
  }
}

/**
 * Installs a {@link CaptureLogger} as Nest's `Logger` everywhere, for code that logs through
 * `new Logger(…)` rather than an injected one; `restore()` puts the console logger back.
 */
export function captureLogs(): { logger: CaptureLogger; lines: string[]; restore(): void } {
  const logger = new CaptureLogger();
  Logger.overrideLogger(logger);
  return {
    logger,
    lines: logger.printed,
    restore: () => Logger.overrideLogger(new ConsoleLogger()),
  };
}
