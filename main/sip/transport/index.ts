/**
 * SIP transport layer (RFC 3261 §18, RFC 3263, RFC 3581, RFC 5626 §3.5.1). Upper layers import from here.
 */
export type { Endpoint, InboundMessage, TransportErrorEvent, TransportLayer, TransportProtocol } from './types.ts';
export { TransportError } from './types.ts';
export { SipTransportLayer } from './transport-layer.ts';
export { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_MAX_MESSAGE_SIZE } from './transport-options.ts';
export type { ListenSpec, TransportLayerOptions, ParseErrorEvent } from './transport-options.ts';
export { startKeepAlive, DEFAULT_PONG_TIMEOUT_MS } from './keep-alive.ts';
export type { KeepAliveOptions } from './keep-alive.ts';
export type { WireTraceEvent, WireTraceListener } from './trace.ts';
export { newBranch, isRfc3261Branch, BRANCH_MAGIC_COOKIE } from '../message/index.ts';
export { chooseTransportForSize, udpSizeLimit, UDP_SIZE_LIMIT_UNKNOWN_MTU, UDP_MTU_MARGIN } from './transport-choice.ts';
export type { TransportSizeInput } from './transport-choice.ts';
export { resolveTargets, tcpTargetOf, TargetResolutionError } from './target-resolution.ts';
export type { TargetUri, ResolveOptions } from './target-resolution.ts';
export { orderSrvRecords } from './srv-order.ts';
export type { SrvRecord, RandomSource } from './srv-order.ts';
export { createNodeDnsResolver, nodeDnsResolver } from './dns-resolver.ts';
export type { DnsResolver } from './dns-resolver.ts';
export { describeTlsError, fingerprintOfPem, normalizeFingerprint } from './tls-trust.ts';
export type { TlsTrust, TlsTrustLookup } from './tls-trust.ts';
export { responseDestination, stampReceivedVia, prepareRequestVia, readTopVia, replaceTopVia } from './via-rewrite.ts';
export { defaultPort, formatHost, isNumericHost, stripBrackets } from './address.ts';
export { sendToFirstReachable } from './failover.ts';
export type { FailoverResult } from './failover.ts';
export { peerKey } from './connection-registry.ts';
export { SourceGuard, normalizeAddress } from './source-guard.ts';
export type { SourceGuardCounters } from './source-guard.ts';
export { SourceRateLimit, DEFAULT_UNTRUSTED_BUDGET, DEFAULT_MAX_RATE_SOURCES } from './source-rate-limit.ts';
export type { RateBudget, SourceRateLimitCounters, SourceRateLimitOptions } from './source-rate-limit.ts';
