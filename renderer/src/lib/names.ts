/**
 * How a peer is named everywhere (issue 16 item 4): the contact's name, else the SIP display name the
 * peer sent, else the address without its scheme. Addresses compare as RFC 3261 §19.1.4 says for the
 * parts that matter to a person: scheme sip/sips alike, user case-sensitive, host case-insensitive,
 * URI parameters and headers ignored.
 */
import type { ContactDto } from '#shared/domain/contact.ts';

/** comparable key of a sip:/sips:/im: address: `user@host[:port]` with the host lower-cased */
export function addressKey(address: string): string {
  let rest = address.trim().replace(/^<|>$/g, '');
  rest = rest.replace(/^(sips?|im|tel):/i, '');
  rest = rest.split(/[;?]/, 1)[0] ?? '';
  const at = rest.lastIndexOf('@');
  if (at < 0) return rest.toLowerCase();
  return `${rest.slice(0, at)}@${rest.slice(at + 1).toLowerCase()}`;
}

export const sameAddress = (a: string, b: string): boolean => addressKey(a) === addressKey(b);

/** the address as a person reads it: scheme and parameters dropped */
export const shortAddress = (address: string): string => addressKey(address) || address;

export function contactFor(contacts: Readonly<Record<string, ContactDto>>, address: string): ContactDto | null {
  const key = addressKey(address);
  for (const c of Object.values(contacts)) if (addressKey(c.address) === key) return c;
  return null;
}

/** contact name, else SIP display name, else the short address */
export function peerName(contacts: Readonly<Record<string, ContactDto>>, address: string, sipDisplayName?: string | null): string {
  const contact = contactFor(contacts, address);
  if (contact !== null && contact.displayName.trim() !== '') return contact.displayName.trim();
  if (sipDisplayName && sipDisplayName.trim() !== '') return sipDisplayName.trim();
  return shortAddress(address);
}

/** initials for an avatar: "Bob Builder" → "BB", "bob@example.test" → "B" */
export function initials(name: string): string {
  const at = name.indexOf('@');
  const words = (at < 0 ? name : name.slice(0, at)).split(/[\s._-]+/).filter((w) => w !== '');
  const letters = words.slice(0, 2).map((w) => Array.from(w)[0] ?? '');
  return letters.join('').toUpperCase() || '?';
}
