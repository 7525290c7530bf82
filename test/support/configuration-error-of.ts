import { ConfigurationError } from 'nestjs-protean';

/** The ConfigurationError `load` throws; fails the test when it throws none or another. */
export function configurationErrorOf(load: () => unknown): ConfigurationError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}
