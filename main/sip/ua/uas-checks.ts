/**
 * The UAS core checks every request goes through before method-specific handling
 * (RFC 3261 §8.2.1–§8.2.3, and §12.2.2 for requests inside a dialog). Pure: it decides,
 * the caller sends the response through the server transaction.
 *
 * Order as in §8.2: method (405), Request-URI scheme (416), Request-URI not ours (404, out of dialog,
 * when `addressedToUs` is given), merged request (482), Require (420),
 * content (415), then dialog match for a request with a To tag (481).
 *
 * Max-Forwards (483, §16.3 step 3) is a proxy rule: a UA does not forward, so a request with
 * Max-Forwards 0 that reaches its UAS core is processed normally. `wouldForward: true` turns the
 * proxy rule on (OPTIONS excepted: §11 lets the element answer it itself).
 */
import { SipParseError, createResponse } from '../message/index.ts';
import type { SipRequest, SipResponse, Uri } from '../message/index.ts';
import type { MergedRequestDetector } from './uas-checks-merged.ts';
import { newTag } from './uac-request.ts';

export interface UasCheckOptions {
  /** methods this UA supports; listed in Allow of a 405 (§8.2.1, §20.5) */
  readonly allowedMethods: readonly string[];
  /** media types understood in bodies, "type/subtype" or "type/*" (§8.2.3); listed in Accept */
  readonly acceptedTypes: readonly string[];
  /** option-tags we support (§8.2.2.3, §19.2) */
  readonly supportedExtensions: readonly string[];
  /** Request-URI schemes we accept (§8.2.2.1); default sip, sips */
  readonly supportedSchemes?: readonly string[];
  /** §12.2.2: does a request with a To tag belong to a dialog we know? Absent: no 481 check */
  readonly dialogExists?: ((request: SipRequest) => boolean) | undefined;
  /**
   * §8.2.2.1: "If the Request-URI does not identify an address that the UAS is willing to accept
   * requests for, it SHOULD reject the request with a 404". Checked for requests outside a dialog (no
   * To tag): our Contact or our AOR (issue 10). Absent: every address is ours.
   */
  readonly addressedToUs?: ((uri: Uri) => boolean) | undefined;
  /** §8.2.2.2: absent: no 482 check */
  readonly mergedRequestDetector?: MergedRequestDetector;
  /** §16.3 step 3 (proxy behaviour); default false for a UA */
  readonly wouldForward?: boolean;
  /** To tag for the rejection (§8.2.6.2); default a new random tag */
  readonly toTag?: string;
}

/** Which RFC rule fired: useful in logs and tests. */
export type UasRule =
  | '8.2.1-method'
  | '8.2.2.1-uri-scheme'
  | '8.2.2.1-not-addressed'
  | '8.2.2.2-merged'
  | '8.2.2.3-require'
  | '8.2.3-content-type'
  | '8.2.3-content-encoding'
  | '12.2.2-no-dialog'
  | '16.3-max-forwards'
  /** a header the checks need did not parse (§8.2: 400) */
  | '8.2-malformed';

export type UasCheckResult =
  | { readonly kind: 'ok' }
  | { readonly kind: 'reject'; readonly rule: UasRule; readonly response: SipResponse }
  /** ACK never gets a response (§17.2.1): a failing ACK is dropped */
  | { readonly kind: 'discard'; readonly rule: UasRule };

interface Failure {
  readonly rule: UasRule;
  readonly status: number;
  readonly headers: [string, string][];
}

/** each accepted "type/subtype" lower-cased and split, per list (issue 18: the lists are fixed, not split per request) */
const splitTypes = new WeakMap<readonly string[], readonly (readonly (string | undefined)[])[]>();

function mediaTypeAccepted(type: string, subtype: string, accepted: readonly string[]): boolean {
  let split = splitTypes.get(accepted);
  if (split === undefined) {
    split = accepted.map((a) => a.toLowerCase().split('/'));
    splitTypes.set(accepted, split);
  }
  for (const [t, s] of split) {
    if ((t === type || t === '*') && (s === subtype || s === '*')) return true;
  }
  return false;
}

const DEFAULT_SCHEMES: readonly string[] = ['sip', 'sips'];

/** §8.2.3: a Content-Encoding other than identity (most requests have none: nothing is listed then) */
function encodedOtherThanIdentity(req: SipRequest): boolean {
  if (req.headers.getKey('content-encoding') === null) return false;
  return req.headers.getAll('Content-Encoding').some((e) => e.toLowerCase() !== 'identity');
}

function firstFailure(req: SipRequest, o: UasCheckOptions): Failure | null {
  const method = req.method;
  // §8.2.1: a method we do not support gets 405 with Allow
  if (!o.allowedMethods.includes(method)) {
    return { rule: '8.2.1-method', status: 405, headers: [['Allow', o.allowedMethods.join(', ')]] };
  }
  // §8.2.2.1: 416 when the Request-URI scheme is not understood
  const schemes = o.supportedSchemes ?? DEFAULT_SCHEMES;
  if (!schemes.includes(req.uri.scheme.toLowerCase())) return { rule: '8.2.2.1-uri-scheme', status: 416, headers: [] };
  // §8.2.2.1: 404 for a Request-URI that is not ours (a CANCEL follows its INVITE, §9.2)
  if (req.toTag === null && method !== 'CANCEL' && o.addressedToUs !== undefined && !o.addressedToUs(req.uri)) {
    return { rule: '8.2.2.1-not-addressed', status: 404, headers: [] };
  }
  // §8.2.2.2: no To tag + From tag, Call-ID, CSeq of a request already seen on another branch
  if (req.toTag === null && o.mergedRequestDetector?.isMerged(req) === true) {
    return { rule: '8.2.2.2-merged', status: 482, headers: [] };
  }
  // §8.2.2.3: Require with option-tags we do not know → 420 listing them in Unsupported.
  // CANCEL and the ACK of a non-2xx carry no Require of their own (§8.2.2.3, §9.1).
  if (method !== 'CANCEL' && method !== 'ACK') {
    const require = req.require;
    if (require !== null && require.length > 0) {
      const unsupported = require.filter((t) => !o.supportedExtensions.includes(t));
      if (unsupported.length > 0) {
        return { rule: '8.2.2.3-require', status: 420, headers: [['Unsupported', unsupported.join(', ')]] };
      }
    }
  }
  // §8.2.3: a body we cannot process → 415 with Accept (or Accept-Encoding)
  if (req.body.length > 0) {
    if (encodedOtherThanIdentity(req)) {
      return { rule: '8.2.3-content-encoding', status: 415, headers: [['Accept-Encoding', 'identity']] };
    }
    const ct = req.contentType;
    if (ct === null || !mediaTypeAccepted(ct.type, ct.subtype, o.acceptedTypes)) {
      return { rule: '8.2.3-content-type', status: 415, headers: [['Accept', o.acceptedTypes.join(', ')]] };
    }
  }
  // §12.2.2: a request with a To tag that matches no dialog → 481 (CANCEL is matched by the
  // transaction layer, §9.2)
  if (req.toTag !== null && method !== 'CANCEL' && o.dialogExists !== undefined && !o.dialogExists(req)) {
    return { rule: '12.2.2-no-dialog', status: 481, headers: [] };
  }
  // §16.3 step 3 (proxy rule, off for a UA)
  if (o.wouldForward === true && method !== 'OPTIONS' && req.maxForwards === 0) {
    return { rule: '16.3-max-forwards', status: 483, headers: [] };
  }
  return null;
}

const OK: UasCheckResult = Object.freeze({ kind: 'ok' });

/**
 * Runs the §8.2 checks on a parsed request. Header values that fail to parse (a bad CSeq, Require,
 * Content-Type...) are answered 400 by the caller from the SipParseError; here they count as such
 * too: a SipParseError thrown by a typed getter is turned into a 400 naming the header.
 */
export function checkRequest(req: SipRequest, options: UasCheckOptions): UasCheckResult {
  let failure: Failure | null;
  try {
    failure = firstFailure(req, options);
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    if (req.method === 'ACK') return { kind: 'discard', rule: '8.2-malformed' };
    return {
      kind: 'reject',
      rule: '8.2-malformed',
      response: createResponse(req, 400, badRequestReason(e.reason), { toTag: options.toTag ?? newTag() }),
    };
  }
  if (failure === null) return OK;
  if (req.method === 'ACK') return { kind: 'discard', rule: failure.rule };
  const response = createResponse(req, failure.status, undefined, {
    toTag: options.toTag ?? newTag(),
    headers: failure.headers,
  });
  return { kind: 'reject', rule: failure.rule, response };
}

/** "Bad Request (defect)" — a Reason-Phrase is TEXT-UTF8 without CR/LF (§25.1); kept short. */
export function badRequestReason(defect: string): string {
  const clean = defect.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 100);
  return clean.length === 0 ? 'Bad Request' : `Bad Request (${clean})`;
}
