/** A certificate as the renderer sees it: fingerprint, safety number, names, trust level (RFC 8551 §3.1). */
import type { CertificateDto } from '#shared/domain/security.ts';
import { fingerprint, parseCertificate, safetyNumber, subjectAltUris } from '../../security/certificate.ts';
import type { PeerCertificateRecord } from '../../security/trust-store.ts';

function notAfterOf(der: Uint8Array): number {
  try {
    return parseCertificate(der).notAfter.value.getTime();
  } catch {
    return 0;
  }
}

function namesOf(der: Uint8Array): string[] {
  try {
    return subjectAltUris(parseCertificate(der));
  } catch {
    return [];
  }
}

export async function ownCertificateDto(address: string, der: Uint8Array, createdAt: number): Promise<CertificateDto> {
  return {
    address,
    fingerprint: await fingerprint(der),
    safetyNumber: await safetyNumber(der),
    names: namesOf(der),
    notAfter: notAfterOf(der),
    level: 'own',
    pendingChange: null,
    learnedAt: createdAt,
  };
}

export async function peerCertificateDto(r: PeerCertificateRecord): Promise<CertificateDto> {
  return {
    address: r.address,
    fingerprint: r.fingerprint,
    safetyNumber: await safetyNumber(r.certificate),
    names: namesOf(r.certificate),
    notAfter: notAfterOf(r.certificate),
    level: r.level,
    pendingChange: r.pending
      ? { fingerprint: r.pending.fingerprint, safetyNumber: await safetyNumber(r.pending.certificate), seenAt: r.pending.seenAt }
      : null,
    learnedAt: r.learnedAt,
  };
}
