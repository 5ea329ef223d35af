// CTIPS (Aspect Unified IP 7.2 CTI Portal) codec layer (digest seeds/002): wire profile and SOAP
// envelopes, Appendix A enumerations, the 27 request builders, their replies and faults, and the
// callback service (PublishCTIEvent, HeartbeatMessage, StartSession). Pure functions, no sockets,
// no HTTP. Nothing here throws past its boundary.
export * from './enums.js';
export * from './events.js';
export * from './requests.js';
export * from './responses.js';
export * from './result.js';
export * from './schema.js';
export * from './wire.js';
