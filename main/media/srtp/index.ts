export { SrtpContext, estimateRoc, type SrtpSuite, type UnprotectResult } from './srtp-context.ts';
export { aesCmXor, deriveSessionKey, packetIv, sessionKeys, KDF_LABEL, type SessionKeys } from './srtp-keys.ts';
export { SRTP_SUITES, formatCryptoAttribute, newCryptoAttribute, parseCryptoAttribute, type CryptoAttribute } from './sdes.ts';
