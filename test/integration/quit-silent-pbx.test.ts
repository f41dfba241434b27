/**
 * Quitting while the PBX has gone silent (host up, nothing answers, no ICMP: a frozen PBX or a firewall
 * that drops): the app still unregisters (RFC 3261 §10.2.2: REGISTER with Expires 0 goes out) but does
 * not make the user wait for Timer F (64 × T1 = 32 s) of that courtesy request, nor of the offline
 * PUBLISH. Proven on the wire: dispose() ends while the un-REGISTER is still being retransmitted
 * (RFC 3261 §17.1.2.2: a transaction that ran to Timer F sends 11 copies).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startUdpRegistrar, type UdpRegistrar } from '../support/udp-registrar.ts';
import { startApp, waitRegistered, type App } from '../support/app-process-kit.ts';

describe('quit with a silent PBX (issue 11: nothing waits out Timer F)', () => {
  let registrar: UdpRegistrar | null = null;
  let app: App | null = null;
  afterAll(() => registrar?.close());

  it('dispose() sends the un-REGISTER and ends before its transaction could time out', async () => {
    registrar = await startUdpRegistrar('127.0.0.1');
    app = await startApp({ sip: { bindAddress: '127.0.0.1', emitTrace: false } });
    const account = await app.call('accounts:save', {
      id: null,
      aor: 'sip:alice@pbx.test',
      displayName: 'Alice',
      authUser: 'alice',
      password: 'alice-secret',
      registrar: 'pbx.test',
      outboundProxy: `sip:127.0.0.1:${String(registrar.port)}`,
      transport: 'udp',
      port: null,
      cpim: false,
      pinnedCertificate: null,
      enabled: true,
      realm: null,
    });
    await waitRegistered(app, account.id);
    registrar.silent = true;
    await app.services.dispose();
    const unregisters = registrar.received.filter(
      (r) => r.method === 'REGISTER' && (r.headers.get('Expires') === '0' || /;expires=0\b/.test(r.headers.get('Contact') ?? '')),
    );
    // the un-REGISTER went out, and dispose() returned while its transaction was still retransmitting
    expect(unregisters.length).toBeGreaterThanOrEqual(1);
    expect(unregisters.length).toBeLessThan(11);
    expect(new Set(unregisters.map((r) => r.topVia?.branch)).size).toBe(1);
  }, 60_000);
});
