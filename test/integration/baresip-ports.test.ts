/**
 * The baresip start used by the call and messaging tests (test/support/baresip-ports.ts) on ports another
 * process holds: a taken control port (baresip would run on without its control socket) and a taken SIP
 * port (baresip exits) each lead to a second try on new ports, and the baresip returned owns its own.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Baresip, BaresipOptions } from '../support/baresip.ts';
import { startBaresipOnFreePorts } from '../support/baresip-ports.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { portOwnedBy } from '../support/port-owner.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

let kamailio: RunningKamailio;
let sipPort = 0;
const started: Baresip[] = [];
const holders: Server[] = [];

beforeAll(async () => {
  ({ kamailio, sipPort } = await startKamailioOnFreePorts(38_000, 200));
}, 30_000);

afterAll(async () => {
  for (const b of started) await b.stop();
  for (const h of holders) await new Promise((r) => h.close(r));
  await kamailio?.stop();
}, 30_000);

/** a TCP listener of this test process on a free loopback port (the kernel picks it) */
async function holdTcpPort(): Promise<number> {
  const server = createServer();
  holders.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function options(sip: number, ctrl: number): BaresipOptions {
  return { user: 'bob', password: 'bob-secret', proxyPort: sipPort, sipPort: sip, ctrlPort: ctrl, rtpPort: 38_400 + 100 * Math.floor(Math.random() * 5), contact: 'sip:alice@example.test' };
}

const randomBase = (): number => 38_200 + 4 * Math.floor(Math.random() * 40);

describe('baresip on ports chosen with retry on collision', () => {
  it('a control port held by another process is not taken for baresip\'s: it starts again on new ports, owning them', async () => {
    const taken = await holdTcpPort();
    const picks: BaresipOptions[] = [];
    const bob = await startBaresipOnFreePorts(() => {
      const base = randomBase();
      const o = options(base, picks.length === 0 ? taken : base + 2);
      picks.push(o);
      return o;
    });
    started.push(bob);
    expect(picks).toHaveLength(2);
    expect(portOwnedBy(process.pid, 'tcp', taken)).toBe(true);
    expect(portOwnedBy(bob.pid, 'tcp', picks[1]!.ctrlPort)).toBe(true);
    expect(portOwnedBy(bob.pid, 'udp', picks[1]!.sipPort)).toBe(true);
    // alive, and the control socket is its own: it answers a command
    expect(await bob.command('reginfo')).toMatch(/bob@example\.test/);
    await bob.stop();
  }, 60_000);

  it('a SIP port held by another process: baresip exits, and starts again on new ports', async () => {
    const taken = await holdTcpPort();
    const picks: BaresipOptions[] = [];
    const bob = await startBaresipOnFreePorts(() => {
      const base = randomBase();
      const o = picks.length === 0 ? options(taken, base + 2) : options(base, base + 2);
      picks.push(o);
      return o;
    });
    started.push(bob);
    expect(picks).toHaveLength(2);
    expect(portOwnedBy(bob.pid, 'udp', picks[1]!.sipPort)).toBe(true);
    expect(portOwnedBy(bob.pid, 'tcp', picks[1]!.ctrlPort)).toBe(true);
    await bob.stop();
  }, 60_000);
});
