import { ConfigurationError } from '../../core/config/configuration.error.js';

/** `ProteanCqrsModule.forRoot()` options that cannot work with the configuration. */
export class CqrsBridgeConfigurationError extends ConfigurationError {}
