/**
 * Issue 11 in the UI, in Chromium over the real main services: the PBX (a UDP registrar stand-in) goes
 * away mid-conversation. The account chip, the accounts screen and the conversation say "offline" with the
 * cause (ICMP port unreachable), since when and the next try; the message sent meanwhile says what it
 * waits for ("Will retry — …" / "Waiting to send: …") with Send now and Cancel in words; a cancelled one
 * never goes out; when the PBX is back, Send now delivers the waiting one exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHost, type Host } from '../host/server.ts';
import { launchChromium, openPage, saveScreenshot, type E2eBrowser, type PageProblems } from '../support/e2e.ts';
import { seedConversation } from '../support/e2e-seed.ts';
import { startUdpRegistrar, type UdpRegistrar } from '../support/udp-registrar.ts';

describe('issue 11: connectivity and "will retry" in words (Chromium over the real services)', () => {
  let registrar: UdpRegistrar;
  let port: number;
  let host: Host;
  let browser: E2eBrowser;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    registrar = await startUdpRegistrar('127.0.0.1');
    port = registrar.port;
    host = await startHost({ sip: { bindAddress: '127.0.0.1' } });
    await host.services.handlers['accounts:save']({
      id: null, aor: 'sip:alice@pbx.test', displayName: 'Alice', authUser: 'alice', password: 'pw', registrar: 'pbx.test',
      outboundProxy: `sip:127.0.0.1:${String(port)}`, transport: 'udp', port: null, cpim: false, pinnedCertificate: null, enabled: true,
    });
    await seedConversation(host.services, 'sip:bob@pbx.test');
    browser = await launchChromium();
    ({ page, problems } = await openPage(browser, host.url));
    page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    registrar?.close();
  });

  const sidebar = () => page.getByRole('complementary', { name: 'Sidebar' });
  const messages = () => page.getByRole('region', { name: 'Messages' });
  const bubble = (text: string) => messages().getByRole('article').filter({ hasText: text });
  /** distinct MESSAGE requests (Call-ID + CSeq: a UDP retransmission is the same request) by body */
  const messageBodies = () => {
    const seen = new Map<string, string>();
    for (const r of registrar.received) if (r.method === 'MESSAGE') seen.set(`${r.callId} ${r.headers.get('CSeq') ?? ''}`, r.body.toString('utf8'));
    return [...seen.values()];
  };

  it('online first; the PBX goes away: the chip and the conversation say offline with the cause and the next try', async () => {
    await sidebar().getByRole('button', { name: /^Account Alice ?: online/ }).waitFor();
    await sidebar().getByRole('button', { name: /^Conversation with bob@pbx\.test/ }).click();
    const text = page.getByRole('textbox', { name: 'Message text' });
    await text.fill('before the outage');
    await text.press('Enter');
    await bubble('before the outage').getByRole('img', { name: 'delivered to the device' }).waitFor();
    expect(await page.locator('.connectivity-banner').count()).toBe(0);

    registrar.close();
    await text.fill('are you there?');
    await text.press('Enter');
    // the network lost it (ICMP) or the account was already known offline: either way it waits, in words
    const waiting = bubble('are you there?');
    await waiting.getByText(/^(Will retry — .+|Waiting to send: waiting for the PBX — last tried \d\d:\d\d.*)$/).waitFor();
    await waiting.getByRole('button', { name: 'Send now' }).waitFor();
    await waiting.getByRole('button', { name: 'Cancel sending' }).waitFor();
    // the account: offline, the cause in words (ICMP port unreachable), since when and the next try
    const chip = sidebar().getByRole('button', { name: /^Account Alice ?: offline — PBX unreachable ?\. Offline since [\d:]+( [AP]M)?: .*ICMP port unreachable/ });
    await chip.waitFor();
    const banner = page.locator('.connectivity-banner');
    await banner.getByText(/Messages you send wait here and go out when the PBX is back\./).waitFor();
    expect(await banner.getAttribute('role')).toBe('status');
    await banner.getByRole('button', { name: 'Try now to connect' }).waitFor();
    await saveScreenshot(page, 'issue11-offline-will-retry');
  });

  it('a second message waits behind the first and can be cancelled: it never goes out', async () => {
    const text = page.getByRole('textbox', { name: 'Message text' });
    await text.fill('never mind');
    await text.press('Enter');
    const second = bubble('never mind');
    await second.getByRole('button', { name: 'Cancel sending' }).click();
    await second.getByText('Not delivered: not sent: cancelled').waitFor();
    expect(await second.getByRole('button', { name: 'Send now' }).count()).toBe(0);
  });

  it('the accounts screen tells the whole story with Try now', async () => {
    await page.keyboard.press('Alt+4');
    const detail = page.getByRole('main').getByRole('status').filter({ hasText: /^Offline since [\d:]+( [AP]M)?: / });
    await detail.waitFor();
    expect(await detail.textContent()).toMatch(/ICMP port unreachable/);
    await detail.getByRole('button', { name: 'Try now to connect' }).waitFor();
    await saveScreenshot(page, 'issue11-accounts-offline');
    await sidebar().getByRole('button', { name: /^Conversation with bob@pbx\.test/ }).click();
  });

  it('the PBX is back: Send now delivers the waiting message exactly once, the cancelled one never, and the banner goes', async () => {
    registrar = await startUdpRegistrar('127.0.0.1', 'pbx.test', port);
    await bubble('are you there?').getByRole('button', { name: 'Send now' }).click();
    await bubble('are you there?').getByRole('img', { name: 'delivered to the device' }).waitFor();
    await sidebar().getByRole('button', { name: /^Account Alice ?: online/ }).waitFor();
    await page.locator('.connectivity-banner').waitFor({ state: 'detached' });
    expect(messageBodies().filter((b) => b === 'are you there?')).toHaveLength(1);
    expect(messageBodies()).not.toContain('never mind');
    expect(await bubble('never mind').getByText('Not delivered: not sent: cancelled').count()).toBe(1);
    expect(problems.pageErrors).toEqual([]);
    expect(await problems.cspViolations()).toEqual([]);
  });
});
