import { describe, expect, it } from 'vitest';
import { buildImdn, formatDispositionNotification, parseDispositionNotification, parseImdn } from '../../../../main/sip/body/imdn.ts';

// RFC 5438 §7.2.1.1 (delivery notification) and §7.2.1.2 (display notification) examples
const RFC_DELIVERED = `<?xml version="1.0" encoding="UTF-8"?>
<imdn xmlns="urn:ietf:params:xml:ns:imdn">
  <message-id>34jk324j</message-id>
  <datetime>2008-04-04T12:16:49-05:00</datetime>
  <recipient-uri>im:bob@example.com</recipient-uri>
  <original-recipient-uri>im:bob@example.com</original-recipient-uri>
  <delivery-notification>
    <status>
      <delivered/>
    </status>
  </delivery-notification>
</imdn>`;

const RFC_DISPLAYED = `<?xml version="1.0" encoding="UTF-8"?>
<imdn xmlns="urn:ietf:params:xml:ns:imdn">
  <message-id>34jk324j</message-id>
  <datetime>2008-04-04T12:16:49-05:00</datetime>
  <recipient-uri>im:bob@example.com</recipient-uri>
  <original-recipient-uri>im:bob@example.com</original-recipient-uri>
  <display-notification>
    <status>
      <displayed/>
    </status>
  </display-notification>
</imdn>`;

describe('IMDN (RFC 5438 §7)', () => {
  it('parses the RFC delivery notification example', () => {
    expect(parseImdn(RFC_DELIVERED)).toEqual({
      ok: true,
      value: {
        messageId: '34jk324j',
        dateTime: new Date('2008-04-04T17:16:49Z'),
        recipientUri: 'im:bob@example.com',
        originalRecipientUri: 'im:bob@example.com',
        kind: 'delivery',
        status: 'delivered',
      },
    });
  });

  it('parses the RFC display notification example', () => {
    const r = parseImdn(RFC_DISPLAYED);
    expect(r.ok && [r.value.kind, r.value.status]).toEqual(['display', 'displayed']);
  });

  it('builds the RFC example element for element (same parse, same order)', () => {
    const built = buildImdn({
      messageId: '34jk324j',
      dateTime: new Date('2008-04-04T17:16:49Z'),
      recipientUri: 'im:bob@example.com',
      originalRecipientUri: 'im:bob@example.com',
      kind: 'delivery',
      status: 'delivered',
    });
    const order = (xml: string): string[] => [...xml.matchAll(/<([a-z-]+)[\s/>]/g)].map((m) => m[1] as string);
    expect(order(built)).toEqual(order(RFC_DELIVERED));
    const a = parseImdn(built);
    const b = parseImdn(RFC_DELIVERED);
    expect(a).toEqual(b);
  });

  it('MUST carry a message-id and exactly one known notification', () => {
    expect(parseImdn(RFC_DELIVERED.replace(/<message-id>.*<\/message-id>/, '')).ok).toBe(false);
    expect(parseImdn(RFC_DELIVERED.replace('<delivered/>', '<exploded/>')).ok).toBe(false);
    expect(parseImdn(RFC_DELIVERED.replace('<delivered/>', '<displayed/>')).ok).toBe(false);
    expect(parseImdn(RFC_DELIVERED.replace('</imdn>', '<display-notification><status><displayed/></status></display-notification></imdn>')).ok).toBe(false);
    expect(parseImdn(RFC_DELIVERED.replace('34jk324j', 'bad id<>')).ok).toBe(false);
    expect(parseImdn(RFC_DELIVERED.replace('urn:ietf:params:xml:ns:imdn', 'urn:other')).ok).toBe(false);
  });

  it('refuses to build a status that does not belong to the kind', () => {
    expect(() => buildImdn({ messageId: 'a', dateTime: new Date(0), recipientUri: 'sip:b@x', kind: 'display', status: 'delivered' })).toThrow();
  });

  it('reads and writes imdn.Disposition-Notification (§6.2)', () => {
    expect(formatDispositionNotification(['positive-delivery', 'display'])).toBe('positive-delivery, display');
    expect([...parseDispositionNotification('positive-delivery, negative-delivery, bogus,Display')]).toEqual(['positive-delivery', 'negative-delivery', 'display']);
    expect(parseDispositionNotification(null).size).toBe(0);
  });
});
