import { ConfigurationError } from '../../../core/config/configuration.error.js';
import { resolveLogSettings } from './log-settings.js';

const notTty = () => false;
const tty = () => true;

describe('log settings (LOG_LEVEL, LOG_FORMAT, NODE_ENV)', () => {
  it('logs JSON at info into a pipe, pretty text on a terminal', () => {
    expect(resolveLogSettings({}, {}, notTty)).toEqual({
      level: 'info',
      format: 'json',
      destination: 1,
    });
    expect(resolveLogSettings({}, {}, tty).format).toBe('pretty');
  });

  it('follows NODE_ENV: JSON in production even on a terminal, pretty in development', () => {
    expect(resolveLogSettings({ NODE_ENV: 'production' }, {}, tty).format).toBe('json');
    expect(resolveLogSettings({ NODE_ENV: 'development' }, {}, notTty).format).toBe('pretty');
  });

  it('lets LOG_FORMAT and LOG_LEVEL decide, in any case', () => {
    const settings = resolveLogSettings(
      { NODE_ENV: 'production', LOG_FORMAT: 'Pretty', LOG_LEVEL: 'DEBUG' },
      {},
      notTty,
    );
    expect(settings).toMatchObject({ format: 'pretty', level: 'debug' });
  });

  it('takes the defaults of the process (the CLI logs warnings to stderr)', () => {
    const cli = resolveLogSettings({}, { destination: 2, level: 'warn', name: 'cli' }, notTty);
    expect(cli).toEqual({ level: 'warn', format: 'json', destination: 2, name: 'cli' });
    expect(resolveLogSettings({ LOG_LEVEL: 'error' }, { level: 'warn' }, notTty).level).toBe(
      'error',
    );
  });

  it('refuses an unknown value with one line naming the variable', () => {
    expect(() => resolveLogSettings({ LOG_LEVEL: 'loud' }, {}, notTty)).toThrow(
      new ConfigurationError(
        'LOG_LEVEL = "loud"',
        'expected one of trace, debug, info, warn, error, fatal, silent',
        'LOG_LEVEL',
      ),
    );
    expect(() => resolveLogSettings({ LOG_FORMAT: 'xml' }, {}, notTty)).toThrow(
      'Invalid configuration: LOG_FORMAT = "xml": expected one of json, pretty (from LOG_FORMAT)',
    );
  });
});
