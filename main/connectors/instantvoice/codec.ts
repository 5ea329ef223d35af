// InstantVoice codec layer (digest seeds/004, "Integration"): STOMP message bodies (requests,
// replies, agent/call events), destination names, return codes and IVWS SOAP. Pure functions,
// no sockets (the STOMP framing is @stomp/stompjs's job). Nothing here throws past its boundary.
export * from './codes.js';
export * from './events.js';
export * from './ivws.js';
export * from './replies.js';
export * from './requests.js';
