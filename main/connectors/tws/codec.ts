// TWS Toolkit codec layer (digest seeds/000, "TWS Toolkit — Developer's Manual — V5"): pure
// functions from bytes/text to typed results and back. Nothing here throws past its boundary.
export * from './codes.js';
export * from './events.js';
export * from './framing.js';
export * from './requests.js';
export * from './results.js';
export * from './value.js';
export {
  DEFAULT_MAX_BYTES,
  MAX_DEPTH,
  parseXml,
  type Decoded,
  type ParseOptions,
  type TwsCodecError,
  type TwsCodecErrorKind,
  type XNode,
} from './xml.js';
