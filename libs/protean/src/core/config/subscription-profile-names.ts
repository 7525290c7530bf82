/** The subscription profiles' names (a file of its own: the CLI checks `--profile` with it without loading the schema). */
export const SUBSCRIPTION_PROFILES = [
  'production',
  'fast',
  'batch',
  'debug',
  'projection',
] as const;
