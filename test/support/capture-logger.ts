import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';

/** A real Nest logger that keeps what it is given, so tests can read the log. */
export class CaptureLogger implements LoggerService {
  readonly lines: Array<{ level: string; message: string; context?: string }> = [];
  /** Every call as printed, all its arguments included (`<level> <message> <rest…>`). */
  readonly printed: string[] = [];

  // Nest passes (message, context?) to each level, and (message, trace?, context?) to error.
  readonly log = this.level('log');
  readonly error = this.level('error', 1);
  readonly warn = this.level('warn');
  readonly debug = this.level('debug');
  readonly verbose = this.level('verbose');
  readonly fatal = this.level('fatal');

  errors(): string[] {
    return this.lines.filter((line) => line.level === 'error').map((line) => line.message);
  }

  private level(level: string, contextAt = 0) {
    return (message: unknown, ...rest: unknown[]): void => {
      this.printed.push(`${level} ${String(message)} ${rest.map(String).join(' ')}`);
      this.lines.push({
        level,
        message: typeof message === 'string' ? message : JSON.stringify(message),
        context: rest[contextAt] as string | undefined,
      });
    };
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
    restore: () => {
      Logger.overrideLogger(new ConsoleLogger());
    },
  };
}
