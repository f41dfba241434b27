/**
 * Issue 16 item 12, end to end over the real services and Kamailio (alice = the page in Chromium, bob = a
 * second app instance): "Add to contacts" from an unknown sender opens the form prefilled with the name
 * he gave and his address, for alice to name him; deleting a contact or a conversation asks first, hides
 * it with Undo, and only after the undo time is it gone in main; removing an account asks first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type Host } from '../host/server.ts';
import { saveScreenshot, type PageProblems } from '../support/e2e.ts';
import { type PeerApp } from '../support/e2e-peer.ts';
import { startLab, type Lab } from '../support/e2e-lab.ts';

describe('issue 16 item 12: add to contacts with a form, confirm and undo for destructive actions', () => {
  let lab: Lab;
  let host: Host;
  let bob: PeerApp;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    lab = await startLab({
      kamailioBase: 36_600,
      bob: { displayName: 'Bob from Sales' },
    });
    ({ host, bob, page, problems } = lab);
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const sidebar = () => page.getByRole('complementary', { name: 'Sidebar' });
  const nav = (name: string) => sidebar().getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
  const conversations = () => sidebar().getByRole('list', { name: 'Conversation list' });
  const undoBar = () => page.getByRole('status', { name: 'Deleted items' });

  it('"Add to contacts" opens the form prefilled from the unknown sender; alice names him and the chat takes the name', async () => {
    await bob.send('sip:alice@example.test', 'hello, we have not met');
    // a stranger's chat is a message request (issue 10); accepting opens the contact form prefilled
    await sidebar().getByRole('button', { name: /^Message requests, 1 waiting/ }).click();
    await page.getByRole('button', { name: /^Message request from Bob from Sales/ }).click();
    const chat = page.getByRole('region', { name: 'Chat with Bob from Sales' });
    await chat.getByText('not in your contacts').first().waitFor();
    await chat.getByRole('region', { name: 'Message request', exact: true }).getByRole('button', { name: 'Accept' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add to contacts' });
    expect(await dialog.getByLabel('Name').inputValue()).toBe('Bob from Sales');
    expect(await dialog.getByLabel('SIP address').inputValue()).toBe('sip:bob@example.test');
    expect(await host.services.handlers['contacts:list'](null)).toEqual([]);
    await saveScreenshot(page, 'issue16-add-to-contacts-1280');
    await dialog.getByLabel('Name').fill('Bob Builder');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('region', { name: 'Chat with Bob Builder' }).getByRole('heading', { name: 'Bob Builder' }).waitFor();
    expect((await host.services.handlers['contacts:list'](null)).map((c) => [c.displayName, c.address])).toEqual([['Bob Builder', 'sip:bob@example.test']]);
    expect(await page.getByRole('button', { name: 'Add to contacts' }).count()).toBe(0);
  });

  it('deleting a contact asks first; Undo brings it back; confirmed and left alone it is deleted in main', async () => {
    await nav('Contacts');
    const list = page.getByRole('list', { name: 'Contact list' });
    await list.getByRole('button', { name: 'Delete Bob Builder' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete Bob Builder?' });
    // Cancel has the focus: Enter on a dialog opened by mistake deletes nothing
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Enter');
    await expect.poll(() => confirm.count()).toBe(0);
    await list.getByRole('button', { name: 'Delete Bob Builder' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => list.getByText('Bob Builder').count()).toBe(0);
    await undoBar().getByText('Contact Bob Builder deleted').waitFor();
    await saveScreenshot(page, 'issue16-undo-delete-1280');
    await undoBar().getByRole('button', { name: 'Undo: Contact Bob Builder deleted' }).click();
    await list.getByText('Bob Builder', { exact: true }).waitFor();
    expect(await host.services.handlers['contacts:list'](null)).toHaveLength(1);

    await list.getByRole('button', { name: 'Delete Bob Builder' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(async () => (await host.services.handlers['contacts:list'](null)).length, { timeout: 20_000 }).toBe(0);
    await expect.poll(() => undoBar().getByRole('button').count()).toBe(0);
  });

  it('deleting a conversation asks first, leaves the chat, and after the undo time main has no such conversation', async () => {
    await conversations().getByRole('button', { name: /^Conversation with Bob from Sales/ }).click();
    const chat = page.getByRole('region', { name: 'Chat with Bob from Sales' });
    await chat.getByRole('button', { name: 'Delete conversation with Bob from Sales' }).click();
    await page.getByRole('dialog', { name: 'Delete the conversation with Bob from Sales?' }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => chat.count()).toBe(0);
    await expect.poll(() => conversations().getByRole('button', { name: /Bob from Sales/ }).count()).toBe(0);
    await undoBar().getByText('Conversation with Bob from Sales deleted').waitFor();
    expect(await host.services.handlers['chats:list-conversations'](null)).toHaveLength(1);
    await expect.poll(async () => (await host.services.handlers['chats:list-conversations'](null)).length, { timeout: 20_000 }).toBe(0);
  });

  it('removing an account asks first; Cancel keeps it', async () => {
    await nav('Accounts');
    await page.getByRole('main').getByRole('button', { name: /^Edit/ }).first().click();
    await page.getByRole('button', { name: 'Remove account sip:alice@example.test' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove the account sip:alice@example.test?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => confirm.count()).toBe(0);
    expect(await host.services.handlers['accounts:list'](null)).toHaveLength(1);
    expect(problems.pageErrors).toEqual([]);
    expect(await problems.cspViolations()).toEqual([]);
  });
});
