/**
 * The matching key of an address: `user@host` with the host lower-cased (RFC 3261 §19.1.4: the host
 * compares case-insensitively, the user part case-sensitively). Scheme (sip:, sips:, im:), display
 * name, angle brackets, port, URI parameters and headers do not take part, so
 * `"Bob" <sips:bob@Example.TEST:5061;transport=tls>` and `im:bob@example.test` match.
 * Lenient on purpose: strict validation belongs to the services; this is only for lookups.
 */
export function addressKey(address: string): string {
  let a = address.trim();
  const lt = a.indexOf('<');
  const gt = a.lastIndexOf('>');
  if (lt >= 0 && gt > lt) a = a.slice(lt + 1, gt).trim();
  const scheme = /^(sips?|im|pres|tel):/i.exec(a);
  if (scheme) a = a.slice(scheme[0].length);
  a = a.split(/[;?]/, 1)[0] ?? '';
  const at = a.lastIndexOf('@');
  const user = at >= 0 ? a.slice(0, at) : '';
  let host = at >= 0 ? a.slice(at + 1) : a;
  // strip a port (but keep an IPv6 reference like [::1] whole)
  const port = /^(\[[^\]]*\]|[^:]*):\d*$/.exec(host);
  if (port?.[1] !== undefined) host = port[1];
  const userPart = user.includes(':') ? user.slice(0, user.indexOf(':')) : user;
  return userPart === '' ? host.toLowerCase() : `${userPart}@${host.toLowerCase()}`;
}
