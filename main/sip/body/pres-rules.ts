/**
 * Presence authorization rules (RFC 5025 over the common policy of RFC 4745), the document a presentity
 * stores on its XCAP server (RFC 4825, AUID `pres-rules`) so that the presence server decides who may
 * watch it (RFC 5025 §3.2.1 sub-handling: block | confirm | polite-block | allow).
 *
 * One rule lists the identities (RFC 4745 §7.1.1 `one id=…`) allowed to subscribe, with every service,
 * person, device and attribute provided (RFC 5025 §3.3: without transformations nothing would be shown);
 * another lists the blocked ones. Anyone not named matches no rule and stays pending (§3.2.1: the
 * server treats a watcher with no matching rule as `confirm`). Built with the XML library (escaping).
 */
import { buildXml } from './xml.ts';

export const PRES_RULES_CONTENT_TYPE = 'application/auth-policy+xml';
export const PRES_RULES_NAMESPACE = 'urn:ietf:params:xml:ns:pres-rules';
export const COMMON_POLICY_NAMESPACE = 'urn:ietf:params:xml:ns:common-policy';
/** RFC 5025 §9.4: the application usage id */
export const PRES_RULES_AUID = 'pres-rules';

export interface PresRules {
  /** watcher URIs allowed to see our presence */
  readonly allow: readonly string[];
  /** watcher URIs refused (their subscriptions end rejected) */
  readonly block: readonly string[];
}

function rule(id: string, identities: readonly string[], handling: 'allow' | 'block'): Record<string, unknown> {
  const r: Record<string, unknown> = {
    '@_id': id,
    'cr:conditions': { 'cr:identity': { 'cr:one': identities.map((uri) => ({ '@_id': uri })) } },
    'cr:actions': { 'sub-handling': handling },
  };
  // RFC 5025 §3.3: what an allowed watcher may see: everything we publish
  if (handling === 'allow') {
    r['cr:transformations'] = {
      'provide-services': { 'all-services': '' },
      'provide-persons': { 'all-persons': '' },
      'provide-devices': { 'all-devices': '' },
      'provide-all-attributes': '',
    };
  }
  return r;
}

/** the whole pres-rules document (an empty ruleset when nothing is decided: everyone pending) */
export function buildPresRules(rules: PresRules): string {
  const list: Record<string, unknown>[] = [];
  if (rules.allow.length > 0) list.push(rule('allow', rules.allow, 'allow'));
  if (rules.block.length > 0) list.push(rule('block', rules.block, 'block'));
  return buildXml('cr:ruleset', { '@_xmlns': PRES_RULES_NAMESPACE, '@_xmlns:cr': COMMON_POLICY_NAMESPACE, ...(list.length > 0 ? { 'cr:rule': list } : {}) });
}
