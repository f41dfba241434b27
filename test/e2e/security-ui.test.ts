/**
 * S/MIME in the chat view (issue 15), in Chromium over the real main services: bubble states in plain
 * words (signed … not verified yet / signature invalid, kept and flagged), the per-conversation protection
 * setting, our certificate created from the panel, and the contact's safety number marked verified.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDto } from '#shared/domain/account.ts';
import { generateIdentity } from '../../main/security/certificate.ts';
import { protectMessage } from '../../main/security/smime-message.ts';
import { startHost, type Host } from '../host/server.ts';
import { launchChromium, openPage, saveScreenshot, type E2eBrowser } from '../support/e2e.ts';
import { seedAccount, seedConversation } from '../support/e2e-seed.ts';

const BOB = 'sip:bob@127.0.0.1';

describe('S/MIME protection in the chat view (Chromium, real main services)', () => {
  let host: Host;
  let browser: E2eBrowser;
  let account: AccountDto;

  beforeAll(async () => {
    host = await startHost();
    account = await seedAccount(host.services);
    await seedConversation(host.services, BOB);
    // Bob signs two messages with his own certificate; the second is altered on the way
    const bob = await generateIdentity(BOB);
    const enc = new TextEncoder();
    const receive = async (text: string, tamper: boolean, n: number) => {
      const p = await protectMessage({ contentType: 'text/plain;charset=UTF-8', date: new Date(), messageId: `e2e-${String(n)}@bob`, body: enc.encode(text) }, 'sign', bob);
      const body = Buffer.from(p.body);
      if (tamper) body[body.indexOf(text) + text.length - 1] = 0x73; // 'l' → 's': Carol → Caros
      const answer = await host.services.chats.receive(account.id, {
        from: BOB, fromDisplayName: 'Bob', contentType: p.contentType, body, callId: `e2e-${String(n)}`, cseq: 1, date: new Date(), expiresSeconds: null, dialog: null,
      });
      expect(answer.status).toBe(200);
    };
    await receive('signed hello from Bob', false, 1);
    await receive('pay 100 to Carol', true, 2);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('shows the bubble states, sets the protection, creates our certificate and marks the contact verified', async () => {
    const { page, problems } = await openPage(browser, host.url);
    await page.getByRole('button', { name: /^Conversation with (Bob|bob@127\.0\.0\.1)/ }).click();
    const messages = page.getByRole('region', { name: 'Messages' });
    await messages.getByText('signed by bob@127.0.0.1 (not verified yet)').waitFor();
    // the altered message is kept, and flagged as an alert — never as trusted
    const warning = messages.getByRole('alert').filter({ hasText: 'signature invalid: the message was altered' });
    await warning.waitFor();
    expect(await messages.getByText('pay 100 to Caros').count()).toBe(1);

    await page.getByRole('button', { name: 'Security' }).click();
    const panel = page.getByRole('region', { name: 'Message protection' });
    await panel.getByText('this account has no certificate').waitFor();
    await panel.getByRole('button', { name: 'Create my certificate' }).click();
    await panel.getByText('Your safety number:').waitFor();
    // default with Bob's certificate learned on first use: sign and encrypt
    await panel.getByText('Next message:').filter({ hasText: 'Sign and encrypt' }).waitFor();
    await panel.getByLabel('Protection for this conversation').selectOption('sign');
    await panel.getByText('Next message:').filter({ hasText: /Next message: Sign$/ }).waitFor();
    // a controlled checkbox: it shows what main stored, once main answers
    await panel.getByRole('checkbox').click();
    await expect.poll(() => panel.getByRole('checkbox').isChecked()).toBe(true);
    await expect.poll(async () => (await host.services.smime.getConversationProtection((await host.services.storage.listConversations())[0]!.id)).required).toBe(true);

    const theirs = await panel.getByLabel('Contact safety number').textContent();
    expect(theirs).toMatch(/^(\d{5} ){11}\d{5}$/);
    await panel.getByRole('button', { name: 'Mark as verified (numbers match)' }).click();
    await panel.getByText('✓ verified').waitFor();
    expect((await host.services.smime.listContactCertificates())[0]).toMatchObject({ address: 'bob@127.0.0.1', level: 'verified' });
    await saveScreenshot(page, 'chat-smime-protection');
    expect(await problems.cspViolations()).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    await page.close();
  }, 60_000);
});
