/**
 * S/MIME certificates in the UI (issue 15), in Chromium over the real main services: the account form's
 * S/MIME section (create our certificate, the on/off switch, export as PEM, import a PKCS#12 from the
 * user's CA behind a password prompt that says when the password is wrong), and a contact's certificate
 * imported from a PEM file in the conversation's Security panel.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDto } from '#shared/domain/account.ts';
import { certificateFromPem, fingerprint } from '../../main/security/certificate.ts';
import { startHost, type Host } from '../host/server.ts';
import { launchChromium, openPage, saveScreenshot, type E2eBrowser } from '../support/e2e.ts';
import { seedAccount, seedConversation } from '../support/e2e-seed.ts';

const BOB = 'sip:bob@127.0.0.1';

/** a self-signed certificate naming `uri` (RFC 3261 §23.2) and its key, made by OpenSSL; optionally as PKCS#12 */
function opensslCertificate(dir: string, name: string, uri: string, p12Password?: string): { pem: string; p12?: Buffer } {
  const key = join(dir, `${name}.key`);
  const crt = join(dir, `${name}.crt`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt, '-days', '30', '-subj', `/CN=${name}`,
    '-addext', `subjectAltName=URI:${uri}`, '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment', '-addext', 'extendedKeyUsage=emailProtection',
  ], { stdio: 'ignore' });
  const pem = readFileSync(crt, 'utf8');
  if (p12Password === undefined) return { pem };
  const p12 = join(dir, `${name}.p12`);
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', crt, '-passout', `pass:${p12Password}`, '-out', p12], { stdio: 'ignore' });
  return { pem, p12: readFileSync(p12) };
}

/** serious and critical axe-core violations inside `selector` (evaluated over DevTools: the page CSP does not apply) */
async function axeProblems(page: Page, selector: string): Promise<string[]> {
  await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  const result = (await page.evaluate((sel) => (Reflect.get(window, 'axe') as { run: (c: unknown, o: unknown) => Promise<unknown> }).run(sel, { resultTypes: ['violations'] }), selector)) as {
    violations: { id: string; impact: string | null }[];
  };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

describe('S/MIME certificates in the account form and the Security panel (Chromium, real main services)', () => {
  let host: Host;
  let browser: E2eBrowser;
  let account: AccountDto;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'e2e-smime-'));
    host = await startHost();
    account = await seedAccount(host.services);
    await seedConversation(host.services, BOB);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, switches off and on, exports, and replaces our certificate with a PKCS#12 behind a password prompt', async () => {
    const { page, problems } = await openPage(browser, host.url);
    const own = () => host.services.smime.ownIdentity(account.id);
    await page.getByRole('complementary', { name: 'Sidebar' }).getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: `Edit account ${account.aor}` }).click();
    const section = page.getByRole('group', { name: 'End-to-end protection (S/MIME)' });
    await section.getByText(`No certificate for ${account.aor} yet`).waitFor();

    await section.getByRole('button', { name: 'Create my certificate' }).click();
    await section.getByLabel('My safety number').waitFor();
    const created = await own();
    expect(created?.enabled).toBe(true);
    expect(await section.getByLabel('My safety number').textContent()).toBe(created?.certificate.safetyNumber);

    // the switch is what main stored
    const toggle = section.getByRole('checkbox', { name: /Sign my messages/ });
    expect(await toggle.isChecked()).toBe(true);
    await toggle.click();
    await expect.poll(async () => (await own())?.enabled).toBe(false);
    await expect.poll(() => toggle.isChecked()).toBe(false);
    await toggle.click();
    await expect.poll(async () => (await own())?.enabled).toBe(true);

    // export: the PEM shown is our certificate
    await section.getByRole('button', { name: 'Export my certificate (PEM)' }).click();
    const pem = await section.getByLabel(/My certificate — send it/).inputValue();
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(await fingerprint(certificateFromPem(pem))).toBe(created?.certificate.fingerprint);

    // PKCS#12 from the user's CA: a wrong password is said in the prompt, the right one replaces the identity
    const { pem: issued, p12 } = opensslCertificate(dir, 'alice', account.aor, 'corr3ct horse');
    await section.getByLabel('PKCS#12 certificate file').setInputFiles({ name: 'alice.p12', mimeType: 'application/x-pkcs12', buffer: p12! });
    const dialog = page.getByRole('dialog', { name: 'Import certificate' });
    await dialog.getByText('alice.p12').waitFor();
    expect(await axeProblems(page, 'dialog.modal')).toEqual([]);
    await dialog.getByLabel('Password').fill('wrong');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'wrong password' }).waitFor();
    await dialog.getByLabel('Password').fill('corr3ct horse');
    await dialog.getByLabel('Password').press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const imported = await fingerprint(certificateFromPem(issued));
    await expect.poll(async () => (await own())?.certificate.fingerprint).toBe(imported);
    await expect.poll(() => section.getByLabel('My safety number').textContent()).toBe((await own())?.certificate.safetyNumber);
    // a certificate for someone else is refused with the reason, the identity stays
    const { p12: other } = opensslCertificate(dir, 'mallory', 'sip:mallory@127.0.0.1', 'pw');
    await section.getByLabel('PKCS#12 certificate file').setInputFiles({ name: 'mallory.p12', mimeType: 'application/x-pkcs12', buffer: other! });
    await dialog.getByLabel('Password').fill('pw');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog.getByRole('alert').filter({ hasText: `does not name ${account.aor}` }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await own())?.certificate.fingerprint).toBe(imported);
    await saveScreenshot(page, 'account-smime-section');
    expect(await axeProblems(page, 'fieldset.smime-section')).toEqual([]);
    expect(await problems.cspViolations()).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    await page.close();
  }, 90_000);

  it("imports a contact's certificate from a PEM file in the Security panel: not verified yet, the default becomes sign and encrypt; one naming someone else is refused", async () => {
    const { page, problems } = await openPage(browser, host.url);
    await page.getByRole('button', { name: /^Conversation with (Bob|bob@127\.0\.0\.1)/ }).click();
    await page.getByRole('button', { name: 'Security' }).click();
    const panel = page.getByRole('region', { name: 'Message protection' });
    const { pem } = opensslCertificate(dir, 'bob', BOB);
    await panel.getByLabel('Contact certificate file (PEM)').setInputFiles({ name: 'bob.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(pem) });
    await panel.getByText('Their safety number (not verified yet)').waitFor();
    const [cert] = await host.services.smime.listContactCertificates();
    expect(cert).toMatchObject({ address: 'bob@127.0.0.1', level: 'unverified', fingerprint: await fingerprint(certificateFromPem(pem)) });
    expect(await panel.getByLabel('Contact safety number').textContent()).toBe(cert?.safetyNumber);
    // with Bob's certificate and ours, the default is now sign and encrypt
    await panel.getByText('Next message:').filter({ hasText: 'Sign and encrypt' }).waitFor();
    // a certificate naming someone else is refused with the reason
    const { pem: eve } = opensslCertificate(dir, 'eve', 'sip:eve@127.0.0.1');
    await panel.getByLabel('Contact certificate file (PEM)').setInputFiles({ name: 'eve.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(eve) });
    await panel.getByRole('alert').filter({ hasText: 'does not name bob@127.0.0.1' }).waitFor();
    expect(await axeProblems(page, 'section.protection-panel')).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    await page.close();
  }, 60_000);
});
