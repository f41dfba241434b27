/**
 * The app handles sip:, sips: and im: links: it registers itself as their handler, and a link opened
 * while it runs (second instance on Windows/Linux, open-url on macOS) or at launch starts a chat.
 */
import { app } from 'electron';
import { addressFromArgv, addressFromLink, PROTOCOLS } from './links.ts';

export function registerProtocolHandlers(): void {
  for (const scheme of PROTOCOLS) {
    if (process.defaultApp && process.argv[1]) app.setAsDefaultProtocolClient(scheme, process.execPath, [process.argv[1]]);
    else app.setAsDefaultProtocolClient(scheme);
  }
}

/** Calls `open` for every link handed to the app, now and later. Returns the link given at launch, if any. */
export function onProtocolLinks(open: (address: string) => void): string | null {
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const address = addressFromLink(url);
    if (address) open(address);
  });
  app.on('second-instance', (_event, argv) => {
    const address = addressFromArgv(argv);
    if (address) open(address);
  });
  return addressFromArgv(process.argv.slice(1));
}
