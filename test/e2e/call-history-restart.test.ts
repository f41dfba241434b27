/**
 * Issue 16, end to end: the Recent calls list survives a restart. alice is the renderer in Chromium over
 * the test host (the same main services as the app) on a data dir this test owns; bob is a second app
 * instance registered to Kamailio. Two calls end (bob declines one, answers the other, alice hangs up),
 * the host stops, a new host opens the same data dir, and Recent calls and the call rows in the conversation
 * with bob read the same, in the same order.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CallDto } from '#shared/domain/call.ts';
import { createTestSecretStore } from '../../main/services/secret-store.ts';
import { startHost, type Host } from '../host/server.ts';
import { startKamailioOnFreePorts } from '../integration/register-kit.ts';
import { launchChromium, openPage, type E2eBrowser } from '../support/e2e.ts';
import { labAccount, startPeerApp, type PeerApp } from '../support/e2e-peer.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';

describe('issue 16: call history survives a restart', () => {
  let kamailio: RunningKamailio;
  let sipPort: number;
  let dataDir: string;
  let host: Host | null = null;
  let bob: PeerApp;
  let browser: E2eBrowser;
  // one keyring for both runs, as the OS keyring outlives the app: the account's password still opens
  const secrets = createTestSecretStore();

  beforeAll(async () => {
    ({ kamailio, sipPort } = await startKamailioOnFreePorts(37_000, 200));
    dataDir = await mkdtemp(join(tmpdir(), 'sipm-call-history-'));
    bob = await startPeerApp();
    await bob.register(labAccount('bob', sipPort));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await bob?.stop();
    await kamailio?.stop();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  const recentCalls = async (page: Page): Promise<string[]> => {
    await page.getByRole('complementary', { name: 'Sidebar' }).getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Calls' }).click();
    const list = page.getByRole('list', { name: 'Recent calls' });
    await list.getByRole('listitem').nth(1).waitFor();
    return list.getByRole('listitem').allInnerTexts();
  };
  /** the call rows of the conversation with bob, as screen readers hear them ("Outgoing call · 0:03 at 09:51 PM") */
  const callRows = async (page: Page): Promise<string[]> => {
    const sidebar = page.getByRole('complementary', { name: 'Sidebar' });
    await sidebar.getByRole('list', { name: 'Conversation list' }).getByRole('button', { name: /^Conversation with Bob Builder/ }).click();
    const timeline = page.getByRole('region', { name: 'Messages' });
    await timeline.getByText('after the calls').waitFor();
    await timeline.locator('.call-row').nth(1).waitFor();
    return timeline.locator('.call-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
  };
  const bobIncoming = (seen: number) => {
    const ids = [...new Set(bob.of('calls:call-changed').filter((c) => c.direction === 'in').map((c) => c.id))];
    return ids.length > seen ? (ids[seen] as CallDto['id']) : null;
  };

  it('Recent calls shows the same calls, same words and order, after the host restarts on the same data', async () => {
    host = await startHost({ dataDir, secrets, sip: { bindAddress: '127.0.0.1' } });
    const services = host.services;
    await services.handlers['accounts:save'](labAccount('alice', sipPort));
    for (let i = 0; i < 300; i++) {
      const regs = await services.handlers['accounts:list-registrations'](null);
      if (regs.some((r) => r.registration.state === 'registered')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await services.handlers['contacts:save']({ id: null, displayName: 'Bob Builder', address: 'sip:bob@example.test', note: '' });

    // call 1: bob declines
    const first = await services.handlers['calls:place']({ accountId: null, peer: 'sip:bob@example.test' });
    await waitFor(() => bobIncoming(0) !== null, 'first call at bob', 15_000);
    await bob.call('calls:decline', { callId: bobIncoming(0) as CallDto['id'] });
    // call 2: bob answers, alice hangs up
    await waitFor(() => services.calls.get(first.id).state === 'ended', 'first call ended', 15_000);
    const second = await services.handlers['calls:place']({ accountId: null, peer: 'sip:bob@example.test' });
    await waitFor(() => bobIncoming(1) !== null, 'second call at bob', 15_000);
    await bob.call('calls:answer', { callId: bobIncoming(1) as CallDto['id'] });
    await waitFor(() => services.calls.get(second.id).state === 'connected', 'second call connected', 15_000);
    services.calls.hangUp(second.id);
    await waitFor(() => services.calls.get(second.id).state === 'ended', 'second call ended', 15_000);

    await bob.send('sip:alice@example.test', 'after the calls');

    const { page } = await openPage(browser, host.url);
    page.setDefaultTimeout(15_000);
    const before = await recentCalls(page);
    expect(before).toHaveLength(2);
    expect(before[0]).toMatch(/Bob Builder[\s\S]*Outgoing call/);
    expect(before[1]).toMatch(/Bob Builder[\s\S]*declined \(603\)/);
    const rowsBefore = await callRows(page);
    expect(rowsBefore).toHaveLength(2);
    expect(rowsBefore[1]).toMatch(/^Outgoing call · 0:\d\d at /);
    await page.close();
    await host.stop();
    host = null;

    host = await startHost({ dataDir, secrets, sip: { bindAddress: '127.0.0.1' } });
    const { page: again } = await openPage(browser, host.url);
    again.setDefaultTimeout(15_000);
    const after = await recentCalls(again);
    expect(after).toEqual(before);
    // the conversation's call rows (issue 16: outgoing / incoming / missed, duration) read the same too
    expect(await callRows(again)).toEqual(rowsBefore);
    await again.close();
  });
});
