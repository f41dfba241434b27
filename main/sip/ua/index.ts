/**
 * The UA layer (RFC 3261 §8, §10, §22; RFC 3428): UA core, registration, MESSAGE glue, digest auth and
 * the UAS checks. Other layers import from here.
 */
export { UserAgent } from './user-agent.ts';
export type {
  UserAgentOptions,
  SendRequestOptions,
  InviteOptions,
  InviteHandle,
  RequestHandler,
  RequestHandlerOptions,
  AckHandler,
} from './user-agent-options.ts';
export type { Attempt } from './user-agent-uac.ts';
export { buildCancel } from './user-agent-invite.ts';
export { localFailureOf } from './user-agent-failure.ts';
export type { LocalFailure } from './user-agent-failure.ts';
export { nextHopUri, withAccountTransport, resolveNextHop, applySizeRule, hopAllowsTcp } from './user-agent-targets.ts';
export { Registration } from './registration.ts';
export type { RegistrationOptions } from './registration.ts';
export type { FailureCause, RegistrationStatus, FailureWords } from './registration-state.ts';
export { causeOfWords, describeRegisterFailure } from './registration-state.ts';
export { backoffDelay, refreshDelayMs, DEFAULT_BACKOFF_INITIAL_MS, DEFAULT_BACKOFF_MAX_MS } from './registration-backoff.ts';
export type { BackoffOptions } from './registration-backoff.ts';
export { buildRegister, grantedExpires } from './registration-request.ts';
export { sendPagerMessage, buildPagerMessage, imToSip, sipDate } from './message-uac.ts';
export type { PagerMessage, MessageDialogContext } from './message-uac.ts';
export { handleMessages, answerMessage } from './message-uas.ts';
export type { IncomingMessage, MessageAnswer, MessageReceiver } from './message-uas.ts';
export { buildRequest, applyRouteSet, addVia, newCallId, newTag, newBranch, BRANCH_COOKIE } from './uac-request.ts';
export type { BuildRequestOptions, AddressSpec, RoutedTarget, ViaSpec } from './uac-request.ts';
export { checkRequest, badRequestReason } from './uas-checks.ts';
export type { UasCheckOptions, UasCheckResult, UasRule } from './uas-checks.ts';
export { buildBadRequest, badRequestFor } from './uas-checks-bad-request.ts';
export { MergedRequestTable } from './uas-checks-merged.ts';
export type { MergedRequestDetector } from './uas-checks-merged.ts';
export { Authenticator } from './credentials-authenticator.ts';
export type { AuthenticatorOptions, AuthOutcome, CredentialsLookup, DigestCredentials } from './credentials-authenticator.ts';
export type { AuthFailure, AuthFailureReason } from './credentials-failure.ts';
export { formatCpim, parseCpim } from './cpim.ts';
export { probeAccept } from './options-probe.ts';
export { RealmBinding } from './realm-binding.ts';
export type { RealmBindingOptions } from './realm-binding.ts';
