/**
 * Dialog identifier, RFC 3261 §12: "A dialog is identified at each UA with a dialog ID, which consists of
 * a Call-ID value, a local tag and a remote tag."
 */
import type { SipRequest, SipResponse } from '../message/index.ts';

export interface DialogId {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
}

/** One string per dialog id: the key of the dialog layer's map and the `dialog` of stored messages. */
export function dialogIdKey(id: DialogId): string {
  return `${id.callId};local=${id.localTag};remote=${id.remoteTag}`;
}

/**
 * §12.2.2: for a request received within a dialog, the local tag is the To tag and the remote tag the
 * From tag. Null when the request carries no To tag (it is outside any dialog, §12.2).
 */
export function dialogIdOfIncomingRequest(request: SipRequest): DialogId | null {
  const localTag = request.toTag;
  const remoteTag = request.fromTag;
  if (localTag === null || remoteTag === null) return null;
  return { callId: request.callId, localTag, remoteTag };
}

/** §12.1.2: as UAC the local tag is the From tag and the remote tag the To tag of the response. */
export function dialogIdOfResponse(response: SipResponse): DialogId | null {
  const localTag = response.fromTag;
  const remoteTag = response.toTag;
  if (localTag === null || remoteTag === null) return null;
  return { callId: response.callId, localTag, remoteTag };
}
