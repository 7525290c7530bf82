/** Reflect-metadata keys of Protean's decorators. */
export const AGGREGATE_METADATA = 'protean:aggregate';
export const MESSAGE_METADATA = 'protean:message';
export const PROJECTION_METADATA = 'protean:projection';
export const COMMAND_HANDLER_METADATA = 'protean:command-handler';
export const EVENT_HANDLER_METADATA = 'protean:event-handler';
export const PROJECTOR_METADATA = 'protean:projector';
export const ON_EVENT_METADATA = 'protean:on-event';
export const SUBSCRIBER_METADATA = 'protean:subscriber';
