import { HeaderList } from './header-list.ts';
import type { Entry, HeaderInput } from './header-list.ts';
import type { SipRequest } from './message.ts';
import { SipResponse } from './message.ts';

const REASONS: Record<number, string> = {
  100: 'Trying', 180: 'Ringing', 181: 'Call Is Being Forwarded', 182: 'Queued', 183: 'Session Progress',
  199: 'Early Dialog Terminated', 200: 'OK', 202: 'Accepted', 204: 'No Notification',
  300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Moved Temporarily', 305: 'Use Proxy',
  380: 'Alternative Service', 400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required',
  403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable',
  407: 'Proxy Authentication Required', 408: 'Request Timeout', 410: 'Gone', 412: 'Conditional Request Failed',
  413: 'Request Entity Too Large', 414: 'Request-URI Too Long', 415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme', 417: 'Unknown Resource-Priority', 420: 'Bad Extension',
  421: 'Extension Required', 422: 'Session Interval Too Small', 423: 'Interval Too Brief',
  428: 'Use Identity Header', 429: 'Provide Referrer Identity', 430: 'Flow Failed', 433: 'Anonymity Disallowed',
  436: 'Bad Identity-Info', 437: 'Unsupported Certificate', 438: 'Invalid Identity Header',
  439: 'First Hop Lacks Outbound Support', 440: 'Max-Breadth Exceeded', 469: 'Bad Info Package',
  470: 'Consent Needed', 480: 'Temporarily Unavailable', 481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected', 483: 'Too Many Hops', 484: 'Address Incomplete', 485: 'Ambiguous', 486: 'Busy Here',
  487: 'Request Terminated', 488: 'Not Acceptable Here', 489: 'Bad Event', 491: 'Request Pending',
  493: 'Undecipherable', 494: 'Security Agreement Required', 500: 'Server Internal Error',
  501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Server Time-out',
  505: 'Version Not Supported', 513: 'Message Too Large', 555: 'Push Notification Service Not Supported',
  580: 'Precondition Failure', 600: 'Busy Everywhere', 603: 'Decline', 604: 'Does Not Exist Anywhere',
  606: 'Not Acceptable', 607: 'Unwanted', 608: 'Rejected',
};

/** Default reason phrase (RFC 3261 §21 and later registrations); class default for unknown codes. */
export function reasonPhrase(status: number): string {
  const known = REASONS[status];
  if (known !== undefined) return known;
  const cls = REASONS[Math.floor(status / 100) * 100];
  return cls ?? 'Unknown';
}

export interface CreateResponseOptions {
  /** added to To when the request's To has no tag (§8.2.6.2); ignored for 100 Trying */
  readonly toTag?: string;
  readonly headers?: HeaderInput;
  readonly body?: Buffer | string;
}

/**
 * Builds a response to a request, RFC 3261 §8.2.6.2: From, Call-ID, CSeq and every Via copied
 * (in order), To copied with a tag added when it has none; 100 carries Timestamp (§8.2.6.1).
 * `extraHeaders` may be header pairs or an options object.
 */
export function createResponse(
  request: SipRequest,
  status: number,
  reason?: string,
  extraHeaders?: HeaderInput | CreateResponseOptions,
): SipResponse {
  const opts: CreateResponseOptions = Array.isArray(extraHeaders) ? { headers: extraHeaders as HeaderInput } : ((extraHeaders as CreateResponseOptions | undefined) ?? {});
  // the request's fields read by index: its other fields are never built (issue 18)
  const from = request.headers;
  const n = from.count();
  const copied: Entry[] = [];
  for (let i = 0; i < n; i++) {
    const key = from.keyAt(i);
    if (key === 'via' || key === 'from' || key === 'call-id' || key === 'cseq') copied.push({ name: from.nameAt(i), value: from.valueOf(i), key });
    else if (key === 'to') {
      const value = from.valueOf(i);
      const needsTag = opts.toTag !== undefined && status !== 100 && !request.to.params.has('tag');
      copied.push({ name: from.nameAt(i), value: needsTag ? `${value};tag=${opts.toTag}` : value, key });
    } else if (key === 'timestamp' && status === 100) copied.push({ name: from.nameAt(i), value: from.valueOf(i), key });
  }
  const headers = HeaderList.ofEntries(copied);
  if (opts.headers) for (const h of new HeaderList(opts.headers)) headers.append(h.name, h.value);
  return new SipResponse({ status, reason: reason ?? reasonPhrase(status), headers, body: opts.body });
}
