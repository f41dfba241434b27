/**
 * message/imdn+xml (RFC 5438 §7): Instant Message Disposition Notifications, and the CPIM header
 * values that request them (§6.2 `imdn.Disposition-Notification`).
 *
 * A notification names the message it reports on by `message-id` (§7.1) and carries one of
 * `delivery-notification` (delivered | failed | forbidden | error), `display-notification`
 * (displayed | forbidden | error) or `processing-notification` (processed | stored | forbidden | error).
 * Parsing never throws; a body without exactly one known notification is refused.
 */
import { buildXml, child, childText, children, parseXml, type XmlElement } from './xml.ts';

export const IMDN_CONTENT_TYPE = 'message/imdn+xml';
export const IMDN_XML_NAMESPACE = 'urn:ietf:params:xml:ns:imdn';

export type ImdnKind = 'delivery' | 'display' | 'processing';
export type ImdnStatus = 'delivered' | 'failed' | 'displayed' | 'processed' | 'stored' | 'forbidden' | 'error';

export interface Imdn {
  readonly messageId: string;
  readonly dateTime: Date | null;
  readonly recipientUri: string | null;
  readonly originalRecipientUri: string | null;
  readonly kind: ImdnKind;
  readonly status: ImdnStatus;
}

export type ImdnParseResult = { readonly ok: true; readonly value: Imdn } | { readonly ok: false; readonly problem: string };

const STATUSES: Record<ImdnKind, readonly ImdnStatus[]> = {
  delivery: ['delivered', 'failed', 'forbidden', 'error'],
  display: ['displayed', 'forbidden', 'error'],
  processing: ['processed', 'stored', 'forbidden', 'error'],
};
const KINDS: readonly ImdnKind[] = ['delivery', 'display', 'processing'];
// RFC 5438 §6.3 Message-ID characters, bounded
const MESSAGE_ID = /^[A-Za-z0-9\-.!%*_+`'~]{1,256}$/;

export function parseImdn(body: string | Buffer): ImdnParseResult {
  const xml = parseXml(body);
  if (!xml.ok) return xml;
  if (xml.rootName !== 'imdn') return { ok: false, problem: `root element is ${xml.rootName}, not imdn` };
  if (xml.rootNamespace !== IMDN_XML_NAMESPACE) return { ok: false, problem: 'imdn is not in the RFC 5438 name space' };
  const messageId = childText(xml.root, 'message-id');
  if (messageId === null || !MESSAGE_ID.test(messageId)) return { ok: false, problem: 'message-id missing or malformed (RFC 5438 §7.1)' };
  const present = KINDS.filter((k) => children(xml.root, `${k}-notification`).length > 0);
  if (present.length !== 1) return { ok: false, problem: 'exactly one notification element is required (RFC 5438 §7.2)' };
  const kind = present[0] as ImdnKind;
  const status = statusOf(child(child(xml.root, `${kind}-notification`), 'status'), kind);
  if (status === null) return { ok: false, problem: `unknown ${kind} status` };
  const dt = childText(xml.root, 'datetime');
  const t = dt === null ? Number.NaN : Date.parse(dt);
  return {
    ok: true,
    value: {
      messageId,
      dateTime: Number.isNaN(t) ? null : new Date(t),
      recipientUri: childText(xml.root, 'recipient-uri'),
      originalRecipientUri: childText(xml.root, 'original-recipient-uri'),
      kind,
      status,
    },
  };
}

function statusOf(status: XmlElement | undefined, kind: ImdnKind): ImdnStatus | null {
  if (!status) return null;
  const found = STATUSES[kind].filter((s) => children(status, s).length > 0 || s in status);
  return found.length === 1 ? (found[0] as ImdnStatus) : null;
}

export interface BuildImdnOptions {
  readonly messageId: string;
  readonly dateTime: Date;
  readonly recipientUri: string;
  readonly originalRecipientUri?: string;
  readonly kind: ImdnKind;
  readonly status: ImdnStatus;
}

/** §7.2.1: the notification a recipient sends back, in the order of the schema */
export function buildImdn(options: BuildImdnOptions): string {
  if (!MESSAGE_ID.test(options.messageId)) throw new Error('IMDN message-id has characters RFC 5438 §6.3 forbids');
  if (!STATUSES[options.kind].includes(options.status)) throw new Error(`${options.status} is not a ${options.kind} status`);
  const root: Record<string, unknown> = {
    '@_xmlns': IMDN_XML_NAMESPACE,
    'message-id': options.messageId,
    datetime: options.dateTime.toISOString(),
    'recipient-uri': options.recipientUri,
  };
  if (options.originalRecipientUri) root['original-recipient-uri'] = options.originalRecipientUri;
  root[`${options.kind}-notification`] = { status: { [options.status]: '' } };
  return buildXml('imdn', root);
}

/** §6.2: the values of imdn.Disposition-Notification */
export type DispositionRequest = 'positive-delivery' | 'negative-delivery' | 'display' | 'processing';

export function formatDispositionNotification(requests: readonly DispositionRequest[]): string {
  return requests.join(', ');
}

export function parseDispositionNotification(value: string | null): Set<DispositionRequest> {
  const out = new Set<DispositionRequest>();
  if (!value) return out;
  for (const token of value.split(',')) {
    const t = token.trim().toLowerCase();
    if (t === 'positive-delivery' || t === 'negative-delivery' || t === 'display' || t === 'processing') out.add(t);
  }
  return out;
}
