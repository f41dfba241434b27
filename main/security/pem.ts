/** PEM armour (RFC 7468) around DER: glue only. */

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** the first block with this label; throws when absent */
export function fromPem(label: string, pem: string): Uint8Array {
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const start = pem.indexOf(begin);
  const stop = pem.indexOf(end, start + begin.length);
  if (start < 0 || stop < 0) throw new Error(`no ${label} in PEM text`);
  const b64 = pem.slice(start + begin.length, stop).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new Error(`${label} is not base64`);
  return new Uint8Array(Buffer.from(b64, 'base64'));
}
