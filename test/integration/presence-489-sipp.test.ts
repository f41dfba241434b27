/**
 * A PBX that does not serve presence subscriptions (sipp: PUBLISH accepted, every SUBSCRIBE answered
 * 489 Bad Event, RFC 6665 §8.3):
 * the app says so once in the account status ("presence is not supported by the PBX (489)") and stops
 * trying: no PUBLISH or SUBSCRIBE leaves after the first 489 arrived, not on a status change, not for a
 * new contact, not after the PBX made it register again (Expires: 10 → refreshes every few seconds),
 * for longer than the first back-off (35 s).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceEntryDto } from '#shared/domain/trace.ts';
import { FIRST_BACKOFF_S } from '../../main/sip/event/publication.ts';
import { tempDir, waitFor } from '../support/peers.ts';
import { runSippListening, type SippRun } from '../support/sipp.ts';
import { accountInput, startApp, waitRegistered, type App } from '../support/app-process-kit.ts';

const dir = tempDir('presence-489');
let sipp: SippRun | null = null;
let app: App;
let accountId = '';

beforeAll(async () => {
  const uas = await runSippListening(
    (p) => ({ scenario: 'pbx-subscribe-489.xml', args: ['-p', String(p), '-key', 'expires', '10'], cwd: dir, timeoutSeconds: 150 }),
    () => 34_700 + Math.floor(Math.random() * 250),
  );
  sipp = uas.run;
  app = await startApp();
  await app.call('contacts:save', { id: null, displayName: 'Bob', address: 'sip:bob@example.test', note: '' });
  await app.call('contacts:save', { id: null, displayName: 'Carol', address: 'sip:carol@example.test', note: '' });
  const account = await app.call('accounts:save', accountInput({ user: 'alice', sipPort: uas.port, transport: 'udp' }));
  accountId = account.id;
  await waitRegistered(app, accountId);
}, 30_000);

afterAll(async () => {
  await app?.services.dispose();
  sipp?.stop();
});

const trace = async (): Promise<TraceEntryDto[]> => [...(await app.call('diagnostics:list-trace', { accountId: null, callId: null, limit: 2000 }))].sort((a, b) => a.seq - b.seq);
const presenceRequests = (t: TraceEntryDto[]) => t.filter((e) => e.direction === 'sent' && /^(PUBLISH|SUBSCRIBE)\b/.test(e.summary));
const registers = (t: TraceEntryDto[]) => t.filter((e) => e.direction === 'sent' && /^REGISTER\b/.test(e.summary));

describe('presence against a PBX that answers 489 (sipp)', () => {
  it('is said once in the account status, and not one presence request leaves after the first 489', async () => {
    await waitFor(() => app.of('presence:account-changed').some((a) => a.support === 'unsupported'), 'presence unsupported', 20_000);
    const first = await trace();
    // the first 489 to a presence request; a 489 to our watcher-information SUBSCRIBE (RFC 3857) says only
    // that the PBX keeps no watcher information, not that it does no presence
    const isWinfo = (e: TraceEntryDto) => /\r\nEvent: *presence\.winfo/i.test(e.text);
    const winfoCalls = new Set(first.filter((e) => e.direction === 'sent' && isWinfo(e)).map((e) => e.callId));
    const first489 = first.find((e) => e.direction === 'received' && e.summary.startsWith('489') && !winfoCalls.has(e.callId));
    expect(first489).toBeDefined();
    const before = presenceRequests(first);
    // the PUBLISH (accepted) and one SUBSCRIBE per contact, all in flight before the 489 came back
    expect(before.filter((e) => e.summary.startsWith('PUBLISH'))).toHaveLength(1);
    // (and at most one for our own watcher information, RFC 3857, sent once the accepted PUBLISH showed presence)
    const subscribes = before.filter((e) => e.summary.startsWith('SUBSCRIBE') && !isWinfo(e)).length;
    expect(subscribes).toBeGreaterThanOrEqual(1);
    expect(subscribes).toBeLessThanOrEqual(2);
    expect(before.filter((e) => e.summary.startsWith('SUBSCRIBE') && isWinfo(e)).length).toBeLessThanOrEqual(1);

    // everything that would make it try again: a new status, a new contact, two re-registrations
    await app.call('presence:set-own', { mode: 'busy', note: 'still here' });
    await app.call('contacts:save', { id: null, displayName: 'Dave', address: 'sip:dave@example.test', note: '' });
    // longer than the first back-off (FIRST_BACKOFF_S, 30 s): a client that merely backed off would try again
    // within it; and at least two re-registrations (RFC 6665 §4.1.2 would re-subscribe after a new one)
    const registeredBefore = registers(first).length;
    const quietUntil = Date.now() + (FIRST_BACKOFF_S + 5) * 1000;
    const until = quietUntil + 40_000;
    while (registers(await trace()).length < registeredBefore + 2 || Date.now() < quietUntil) {
      if (Date.now() > until) throw new Error('no re-registration within 40 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    // going idle would PUBLISH at once; no sleep: the next REGISTER refresh (a few seconds, Expires: 10) is
    // the barrier, and proves the account alive when the "nothing" below is read
    const registeredIdle = registers(await trace()).length;
    app.services.presence.setIdle(true);
    for (const idleUntil = Date.now() + 30_000; registers(await trace()).length <= registeredIdle; ) {
      if (Date.now() > idleUntil) throw new Error('no REGISTER refresh within 30 s of going idle');
      await new Promise((r) => setTimeout(r, 250));
    }

    const after = await trace();
    const sentAfter489 = presenceRequests(after).filter((e) => e.seq > first489!.seq);
    expect(sentAfter489.map((e) => e.summary)).toEqual([]);
    expect(presenceRequests(after)).toHaveLength(before.length);
    // said once, in words, for this account (after the accepted PUBLISH had made it 'supported')
    const said = app.of('presence:account-changed').filter((a) => a.accountId === accountId);
    const unsupported = { accountId, support: 'unsupported', summary: 'presence is not supported by the PBX (489)' };
    expect(said.filter((a) => a.support === 'unsupported')).toEqual([unsupported]);
    expect(said.at(-1)).toEqual(unsupported);
    const snapshot = await app.call('presence:get', null);
    expect(snapshot.accounts).toEqual([unsupported]);
  }, 120_000);
});
