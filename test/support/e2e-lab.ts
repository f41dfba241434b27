/**
 * The two-app lab most UI e2e tests stand on: a Kamailio on free ports, alice = the app under test (the
 * test host's real main services, driven through Chromium), bob = a second app instance registered to the
 * same Kamailio, and a page at 1280×800. What varies per test is an option; `stop()` ends what started,
 * also after a start that failed halfway.
 */
import type { Page } from 'playwright-core';
import type { AccountInput } from '#shared/domain/account.ts';
import { startHost, type Host } from '../host/server.ts';
import { startKamailioOnFreePorts } from '../integration/register-kit.ts';
import { launchChromium, openPage, type E2eBrowser, type PageProblems } from './e2e.ts';
import { labAccount, startPeerApp, type PeerApp } from './e2e-peer.ts';
import type { RunningKamailio } from './kamailio.ts';
import { waitFor } from './peers.ts';

/** Chromium switches for calls: a fake microphone that needs no prompt, audio without a gesture */
export const MEDIA_ARGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'] as const;

export interface LabOptions {
  /** first port of the Kamailio range (each test file its own range) */
  readonly kamailioBase: number;
  /** changes to bob's account (e.g. his display name) */
  readonly bob?: Partial<AccountInput>;
  /** register alice's account before the page opens; default true */
  readonly aliceAccount?: boolean;
  /** contacts alice has before the page opens */
  readonly contacts?: readonly { readonly displayName: string; readonly address: string }[];
  /** Chromium with a fake microphone (MEDIA_ARGS); default false */
  readonly media?: boolean;
  /** more setup once the apps run, before the page opens (seeded history, a first message) */
  readonly before?: (lab: { readonly host: Host; readonly bob: PeerApp; readonly sipPort: number }) => Promise<void>;
}

export interface Lab {
  readonly kamailio: RunningKamailio;
  readonly sipPort: number;
  readonly host: Host;
  readonly bob: PeerApp;
  readonly browser: E2eBrowser;
  readonly page: Page;
  readonly problems: PageProblems;
  stop(): Promise<void>;
}

export async function startLab(options: LabOptions): Promise<Lab> {
  const started: { kamailio?: RunningKamailio; host?: Host; bob?: PeerApp; browser?: E2eBrowser } = {};
  const stop = async (): Promise<void> => {
    await started.browser?.close();
    await started.host?.stop();
    await started.bob?.stop();
    await started.kamailio?.stop();
  };
  try {
    const { kamailio, sipPort } = await startKamailioOnFreePorts(options.kamailioBase, 200);
    started.kamailio = kamailio;
    const host = await startHost({ sip: { bindAddress: '127.0.0.1' } });
    started.host = host;
    const bob = await startPeerApp();
    started.bob = bob;
    await bob.register({ ...labAccount('bob', sipPort), ...options.bob });
    if (options.aliceAccount ?? true) {
      const alice = await host.services.handlers['accounts:save'](labAccount('alice', sipPort));
      await waitFor(() => host.services.sip.listRegistrations().some((r) => r.accountId === alice.id && r.registration.state === 'registered'), 'alice registered', 15_000);
    }
    for (const c of options.contacts ?? []) await host.services.handlers['contacts:save']({ id: null, displayName: c.displayName, address: c.address, note: '' });
    await options.before?.({ host, bob, sipPort });
    const browser = await launchChromium(options.media === true ? { args: MEDIA_ARGS } : {});
    started.browser = browser;
    const { page, problems } = await openPage(browser, host.url);
    page.setDefaultTimeout(15_000);
    await page.setViewportSize({ width: 1280, height: 800 });
    return { kamailio, sipPort, host, bob, browser, page, problems, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
