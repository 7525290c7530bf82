/** sysexits' EX_UNAVAILABLE: a service the process needs could not be used. */
export const EXIT_UNAVAILABLE = 69;
/** sysexits' EX_CONFIG: the configuration is wrong. */
export const EXIT_CONFIG = 78;
