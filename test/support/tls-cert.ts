/**
 * Test certificates made with the `openssl` CLI in a temp dir (no committed keys).
 * `makeSelfSignedCert({ commonName, dnsNames, ipAddresses })` returns the PEMs and the SHA-256 fingerprint
 * in the `AA:BB:...` form Node's `X509Certificate.fingerprint256` uses.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  readonly certPem: string;
  readonly keyPem: string;
  readonly fingerprint256: string;
}

export interface CertOptions {
  readonly commonName: string;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly days?: number;
}

export function makeSelfSignedCert(options: CertOptions): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'sip-test-cert-'));
  try {
    const san = [...(options.dnsNames ?? []).map((d) => `DNS:${d}`), ...(options.ipAddresses ?? []).map((ip) => `IP:${ip}`)];
    const args = [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-days', String(options.days ?? 2),
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-subj', `/CN=${options.commonName}`,
    ];
    if (san.length > 0) args.push('-addext', `subjectAltName=${san.join(',')}`);
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const keyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
    return { certPem, keyPem, fingerprint256: new X509Certificate(certPem).fingerprint256 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
