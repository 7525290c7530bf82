import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';

/** Collects every line Nest's Logger prints while installed; `restore()` puts it back. */
export function captureLogs(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (message: unknown, ...rest: unknown[]) =>
      lines.push(`${level} ${String(message)} ${rest.map(String).join(' ')}`);
  const collector: LoggerService = {
    log: record('log'),
    error: record('error'),
    warn: record('warn'),
    debug: record('debug'),
    verbose: record('verbose'),
    fatal: record('fatal'),
  };
  Logger.overrideLogger(collector);
  return {
    lines,
    restore: () => {
      Logger.overrideLogger(new ConsoleLogger());
    },
  };
}
