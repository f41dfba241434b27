/**
 * baresip on ports chosen with retry on collision, ready only when its own PID owns them.
 *
 * What baresip does with a port already taken (checked with baresip 1.0 on loopback):
 *  - its SIP port (UDP/TCP, and TCP port + 1, which it also binds): it exits (code 98) → startBaresip throws;
 *  - its ctrl_tcp port: it logs "Address already in use" and runs on WITHOUT the control socket, so
 *    `command()` would talk to whoever holds that port (another test's peer, or baresip's own port + 1).
 * So a start counts only when baresip registered (startBaresip) AND `portOwnedBy` finds its PID on the SIP
 * port (UDP and TCP) and the control port; otherwise it is stopped (SIGTERM: it unregisters) and `pick` gives
 * new ports.
 */
import { startBaresip, type Baresip, type BaresipOptions } from './baresip.ts';
import { portOwnedBy } from './port-owner.ts';

export async function startBaresipOnFreePorts(pick: () => BaresipOptions, tries = 5): Promise<Baresip> {
  for (let attempt = 1; ; attempt++) {
    const o = pick();
    if (o.ctrlPort === o.sipPort + 1) throw new Error('baresip binds its SIP port + 1 itself: choose another control port');
    let started: Baresip | null = null;
    try {
      started = await startBaresip(o);
      const owned = portOwnedBy(started.pid, 'udp', o.sipPort) && portOwnedBy(started.pid, 'tcp', o.sipPort) && portOwnedBy(started.pid, 'tcp', o.ctrlPort);
      if (owned) return started;
      throw new Error(`baresip ${o.user} (pid ${String(started.pid)}) does not own its SIP port ${String(o.sipPort)} and control port ${String(o.ctrlPort)}`);
    } catch (e) {
      await started?.stop();
      if (attempt >= tries) throw e;
    }
  }
}
