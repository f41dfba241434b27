/**
 * SIP message layer (RFC 3261 §7, §19, §20, §25; RFC 3428; RFC 5626 §3.5.1).
 * The only module other layers import from.
 */
export type {
  Params,
  SipUri,
  OtherUri,
  Uri,
  NameAddr,
  Via,
  CSeq,
  MediaType,
  AuthParams,
  HeaderField,
  PartialMessage,
} from './types.ts';
export type {
  RetryAfter,
  Warning,
  EventHeader,
  SubscriptionState,
  Timestamp,
} from './header-values.ts';
export { SipParseError } from './errors.ts';
export { HeaderList, canonicalHeaderName, isListHeader } from './header-list.ts';
export type { HeaderInput } from './header-list.ts';
export { SipRequest, SipResponse } from './message.ts';
export type { SipMessage, SipRequestInit, SipResponseInit } from './message.ts';
export { DEFAULT_PARSE_LIMITS, parseMessage } from './parse.ts';
export type { ParseOptions } from './parse.ts';
export { serializeMessage } from './serialize.ts';
export { createResponse, reasonPhrase } from './response.ts';
export type { CreateResponseOptions } from './response.ts';
export { parseUri, formatUri, isSipUri, unescapeUriPart } from './uri.ts';
export { uriEquals } from './uri-equals.ts';
export { parseNameAddr, parseNameAddrList, formatNameAddr } from './name-addr.ts';
export { parseVia, parseViaList, formatVia } from './via.ts';
export { parseParams, formatParams } from './params.ts';
export {
  parseCSeq,
  parseMediaType,
  formatMediaType,
  parseAuthParams,
  formatAuthParams,
  parseTokenList,
  parseDeltaSeconds,
  parseSipDate,
  parseRetryAfter,
  parseWarning,
  parseEvent,
  parseSubscriptionState,
  parseTimestamp,
} from './header-values.ts';
export { StreamFramer } from './framer.ts';
export { BRANCH_MAGIC_COOKIE, isRfc3261Branch, newBranch } from './branch.ts';
export type { FramedItem, StreamFramerOptions } from './framer.ts';
