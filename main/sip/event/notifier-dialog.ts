/**
 * The SIP side of a subscription to our state, notifier side (RFC 6665 §4.2.1), over the UA core and
 * its dialog layer:
 * - `grantExpires`: §4.2.1.1 the duration we grant: the asked one within our bounds (default when the
 *   SUBSCRIBE has no Expires), or 423 Interval Too Brief with Min-Expires (§4.2.1.1, RFC 3261 §21.4.17);
 * - `acceptSubscribe`: answers an initial SUBSCRIBE 200 (§4.2.1.1: 200 for pending subscriptions too; 202
 *   is deprecated, §8.3.1) with a To tag, our Contact, the granted Expires and the Record-Routes copied
 *   (RFC 3261 §12.1.1), keeps the dialog (UAS, §12.1.1) for refresh SUBSCRIBEs within it (§4.2.1.2) and
 *   returns the NotifyPort: NOTIFY within the dialog with Event (its id parameter echoed, §8.2.1),
 *   Subscription-State, our Contact (§4.2.2: NOTIFY is a target refresh request) and the body.
 */
import { Dialog } from '../dialog/dialog.ts';
import type { DialogLayer } from '../dialog/dialog-layer.ts';
import type { ResponseChannel } from '../dialog/user-agent-port.ts';
import { createResponse } from '../message/index.ts';
import type { SipRequest } from '../message/index.ts';
import type { UserAgent } from '../ua/user-agent.ts';
import { statusOf, type EventPackage } from './event-agent.ts';
import type { NotifyPort } from './watcher-subscription.ts';

type Ua = Pick<UserAgent, 'sendRequest' | 'newTag' | 'contact'>;

export interface ExpiresBounds {
  readonly min: number;
  readonly max: number;
  /** used when the SUBSCRIBE has no Expires */
  readonly default: number;
}

/** RFC 3856 §6.4: presence subscriptions default to 3600 s */
export const PRESENCE_EXPIRES: ExpiresBounds = { min: 60, max: 3600, default: 3600 };

export type Grant = { readonly ok: true; readonly expires: number } | { readonly ok: false; readonly minExpires: number };

/** §4.2.1.1: 0 (a fetch or an unsubscribe) is always granted; below min → 423; above max → max */
export function grantExpires(request: SipRequest, bounds: ExpiresBounds): Grant {
  const raw = request.headers.get('Expires');
  if (raw === null) return { ok: true, expires: bounds.default };
  const m = /^\s*(\d{1,10})\s*$/.exec(raw);
  if (m === null) return { ok: true, expires: bounds.default };
  const asked = Number(m[1]);
  if (asked === 0) return { ok: true, expires: 0 };
  if (asked < bounds.min) return { ok: false, minExpires: bounds.min };
  return { ok: true, expires: Math.min(asked, bounds.max) };
}

/** the event package named by the Event header (its type, lower case), or null */
export function eventTypeOf(request: SipRequest): string | null {
  const raw = request.headers.get('Event');
  if (raw === null) return null;
  return raw.split(';', 1)[0]?.trim().toLowerCase() || null;
}

/** 423 Interval Too Brief with our Min-Expires */
export function tooBrief(request: SipRequest, minExpires: number) {
  return createResponse(request, 423, 'Interval Too Brief', [['Min-Expires', String(minExpires)]]);
}

export interface AcceptedSubscription {
  readonly port: NotifyPort;
  /** the watcher's refresh SUBSCRIBEs (granted duration; 0 = unsubscribe) */
  onRefresh(handler: (expires: number) => void): void;
}

/**
 * Answers `request` (an initial SUBSCRIBE for `pkg`, already authorized to go on) 200 with `expires`, and
 * keeps its dialog. Returns null (after a 400) when the SUBSCRIBE cannot make a dialog (no Contact or From tag).
 */
export function acceptSubscribe(
  ua: Ua,
  layer: DialogLayer,
  pkg: EventPackage,
  request: SipRequest,
  channel: ResponseChannel,
  expires: number,
  bounds: ExpiresBounds,
): AcceptedSubscription | null {
  const contact = ua.contact();
  const tag = ua.newTag();
  const dialog = Dialog.asUas(request, tag, contact, 'confirmed');
  if (dialog === null) {
    channel.respond(createResponse(request, 400, 'Missing Contact or From tag'));
    return null;
  }
  const event = request.headers.get('Event')?.trim() ?? pkg.event;
  let refresh: (expires: number) => void = () => undefined;
  const ok = (r: SipRequest, granted: number, toTag?: string) =>
    createResponse(r, 200, 'OK', {
      ...(toTag !== undefined ? { toTag } : {}),
      headers: [
        ...r.headers.getAll('Record-Route').map((v): [string, string] => ['Record-Route', v]),
        ['Contact', contact],
        ['Expires', String(granted)],
      ],
    });

  layer.add(dialog, {
    onRequest(r, ch) {
      if (r.method !== 'SUBSCRIBE') {
        ch.respond(createResponse(r, 405, undefined, [['Allow', 'SUBSCRIBE']]));
        return;
      }
      // §8.2.1: a refresh names the same event package
      if (eventTypeOf(r) !== pkg.event) {
        ch.respond(createResponse(r, 489, 'Bad Event', [['Allow-Events', pkg.event]]));
        return;
      }
      const grant = grantExpires(r, bounds);
      if (!grant.ok) {
        ch.respond(tooBrief(r, grant.minExpires));
        return;
      }
      dialog.refreshTarget(r);
      ch.respond(ok(r, grant.expires));
      refresh(grant.expires);
    },
    onAck() {},
  });
  channel.respond(ok(request, expires, tag));

  let closed = false;
  const port: NotifyPort = {
    async notify(subscriptionState, body) {
      if (closed) return 481;
      const notify = dialog.createRequest('NOTIFY', {
        extraHeaders: [
          ['Event', event],
          ['Subscription-State', subscriptionState],
          ['Contact', contact],
        ],
        ...(body !== null ? { body, contentType: pkg.contentType } : {}),
      });
      return statusOf(await ua.sendRequest(notify));
    },
    close() {
      if (closed) return;
      closed = true;
      layer.remove(dialog);
      dialog.terminate();
    },
  };
  return {
    port,
    onRefresh(handler) {
      refresh = handler;
    },
  };
}
