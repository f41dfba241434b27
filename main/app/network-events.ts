/**
 * The OS's "the network may be different now" signals for the SIP stack (issue 11): resume from sleep and
 * unlock (powerMonitor), and the machine coming back online (`net.isOnline()` turning true, checked every
 * few seconds: Electron has no main-process online event). Thin glue; the reaction (register again at
 * once) is SipStackService.networkChanged, tested under Node.
 */
import { net, powerMonitor } from 'electron';
import type { NetworkEvents } from '../services/app-services.ts';

const ONLINE_POLL_MS = 3_000;

export function electronNetworkEvents(): NetworkEvents {
  return {
    onChange(listener) {
      const resume = () => listener('resume');
      powerMonitor.on('resume', resume);
      powerMonitor.on('unlock-screen', resume);
      let online = net.isOnline();
      const timer = setInterval(() => {
        const now = net.isOnline();
        if (now && !online) listener('online');
        online = now;
      }, ONLINE_POLL_MS);
      timer.unref();
      return () => {
        powerMonitor.removeListener('resume', resume);
        powerMonitor.removeListener('unlock-screen', resume);
        clearInterval(timer);
      };
    },
  };
}
