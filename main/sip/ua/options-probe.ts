/**
 * Capability query (RFC 3261 §11): an OPTIONS to a peer, routed like a MESSAGE (through the PBX), and
 * the Accept of its 2xx (§11.2: "Accept ... SHOULD be present"). Used to learn whether a peer takes
 * application/im-iscomposing+xml before we send it one (RFC 3994).
 */
import { formatUri, isSipUri, parseUri } from '../message/index.ts';
import { localFailureOf } from './user-agent-failure.ts';
import { buildRequest } from './uac-request.ts';
import type { UserAgent } from './user-agent.ts';
import { imToSip } from './message-uac.ts';

/** the Accept media ranges of the peer's 2xx to OPTIONS; null when it did not answer 2xx */
export async function probeAccept(ua: UserAgent, target: string): Promise<readonly string[] | null> {
  const uri = parseUri(imToSip(target));
  if (!isSipUri(uri)) return null;
  const from = ua.from();
  const request = buildRequest({
    method: 'OPTIONS',
    requestUri: uri,
    from: { uri: from.uri, displayName: from.displayName },
    to: { uri: formatUri(uri) },
    callId: ua.newCallId(),
    cseq: ua.nextCSeq(),
    extraHeaders: [['Accept', 'application/sdp']],
  });
  const response = await ua.sendRequest(request);
  if (localFailureOf(response) !== null || response.status < 200 || response.status >= 300) return null;
  const accept = response.headers.get('Accept');
  if (accept === null) return [];
  return accept.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
