/**
 * The account's UDP port is kept across restarts (issue 11): a re-sent MESSAGE then has the same Via
 * sent-by as the copy the proxy holds a transaction for (RFC 3261 §17.2.3 matches branch, sent-by and
 * method), and the proxy's answer to it, sent to the source of the first copy (RFC 3581), reaches the new
 * process.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { AccountsService } from '../../../main/services/accounts.ts';
import { createTestSecretStore } from '../../../main/services/secret-store.ts';
import { bindLayer } from '../../../main/services/sip-stack-account.ts';
import { SipTransportLayer } from '../../../main/sip/transport/index.ts';
import { openStorage } from '../../../main/storage/storage.ts';
import type { AccountId } from '#shared/domain/ids.ts';

const layerOn = (port: number) => SipTransportLayer.create({ listen: [{ protocol: 'udp', address: '127.0.0.1', port }] });
const udpPort = (layer: SipTransportLayer) => layer.listening().find((l) => l.protocol === 'udp')?.port;

async function holdAnyPort(): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
  return s;
}

describe('the local SIP port across restarts (issue 11)', () => {
  const open: SipTransportLayer[] = [];
  afterAll(async () => {
    for (const l of open) await l.close();
  });

  it('MUST bind the port the account had before when it is free, and any free port when it is taken', async () => {
    const first = await bindLayer(null, layerOn);
    open.push(first);
    const port = udpPort(first);
    expect(port).toBeGreaterThan(0);
    await first.close();
    // the next run (after a crash the kernel frees the socket at once): the same port
    const again = await bindLayer(port ?? null, layerOn);
    open.push(again);
    expect(udpPort(again)).toBe(port);
    // another program holds it: the stack still starts, on another port
    const holder = await holdAnyPort();
    try {
      const taken = holder.address().port;
      const other = await bindLayer(taken, layerOn);
      open.push(other);
      expect(udpPort(other)).not.toBe(taken);
      expect(udpPort(other)).toBeGreaterThan(0);
    } finally {
      holder.close();
    }
  });

  it('MUST keep the port per account in storage, so a new process finds it', async () => {
    const storage = await openStorage(':memory:');
    try {
      const accounts = new AccountsService({ storage, secrets: createTestSecretStore(), emit: () => undefined, settings: storage });
      const a = 'account-a' as AccountId;
      const b = 'account-b' as AccountId;
      expect(await accounts.localPort(a)).toBeNull();
      await accounts.rememberLocalPort(a, 40_123);
      const later = new AccountsService({ storage, secrets: createTestSecretStore(), emit: () => undefined, settings: storage });
      expect(await later.localPort(a)).toBe(40_123);
      expect(await later.localPort(b)).toBeNull();
      await storage.setSetting('sip-local-port:account-b', 'not a port');
      expect(await later.localPort(b)).toBeNull();
    } finally {
      await storage.close();
    }
  });
});
