/**
 * What the user reads and what the store keeps, case by case: every delivery state (icon, words, tone),
 * registration and call states in words, the account form round trip, timeline rows across days, and the
 * store slices not covered by store.test.ts (ui, contacts, calls, normalized collections).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { callStateWords } from '../../../renderer/src/features/calls/call-words.ts';
import { isLive } from '../../../renderer/src/features/calls/call-model.ts';
import { emptyAccountForm, formFromAccount, validateAccountForm } from '../../../renderer/src/features/accounts/account-form-model.ts';
import { estimateRowHeight, timelineRows } from '../../../renderer/src/features/chats/timeline-rows.ts';
import { canRetry, deliveryView } from '../../../renderer/src/lib/delivery.ts';
import { dayLabel, shortWhen, timeOfDay } from '../../../renderer/src/lib/format.ts';
import { reasonWithCode } from '../../../renderer/src/lib/reason.ts';
import { registrationWords } from '../../../renderer/src/lib/registration.ts';
import { emptyNormalized, insertionIndex, listOf, normalize, remove, upsert } from '../../../renderer/src/store/normalized.ts';
import { appStore, resetStore } from '../../../renderer/src/store/store.ts';
import type { AccountId, CallId, ContactId, ConversationId } from '#shared/domain/ids.ts';
import type { CallDto } from '#shared/domain/call.ts';
import type { MessageState } from '#shared/domain/chat.ts';
import { account, message } from './fixtures.ts';

describe('delivery wording (RFC 3428 §7), every state', () => {
  const view = (state: MessageState, reason: string | null = null, code: number | null = null) => deliveryView({ state, reason, code });

  it('each state has its own icon, words and tone', () => {
    expect(view('queued')).toEqual({ icon: '◷', text: 'waiting to be sent', tone: 'pending' });
    expect(view('sending')).toEqual({ icon: '↑', text: 'sending', tone: 'pending' });
    expect(view('delivered', null, 200)).toEqual({ icon: '✓✓', text: 'delivered to the device', tone: 'ok' });
    expect(view('accepted', null, 202)).toEqual({ icon: '✓', text: 'accepted by the server, not yet delivered', tone: 'warn' });
    expect(view('failed', 'no such user (404)', 404)).toEqual({ icon: '!', text: 'failed: no such user (404)', tone: 'bad' });
    expect(view('refused', 'declined', 603)).toEqual({ icon: '⊘', text: 'refused: declined (603)', tone: 'bad' });
    expect(view('expired')).toEqual({ icon: '⌛', text: 'expired', tone: 'warn' });
    expect(view('needs-choice')).toEqual({ icon: '?', text: 'too long to send in one piece: choose what to do', tone: 'warn' });
    expect(view('received')).toEqual({ icon: '', text: 'received', tone: 'none' });
    const icons = (['queued', 'sending', 'delivered', 'accepted', 'failed', 'refused', 'expired', 'needs-choice'] as const).map((s) => view(s).icon);
    expect(new Set(icons).size).toBe(icons.length);
  });

  it('a failure without any reason or code still says something', () => {
    expect(view('failed')).toMatchObject({ text: 'failed: unknown reason' });
    expect(reasonWithCode('  ', 503)).toBe('error 503');
    expect(reasonWithCode('busy', null)).toBe('busy');
    expect(reasonWithCode('busy here', 486)).toBe('busy here (486)');
  });

  it('only failed, refused and too-long messages offer retry', () => {
    const all: MessageState[] = ['queued', 'sending', 'delivered', 'accepted', 'failed', 'refused', 'expired', 'needs-choice', 'received'];
    expect(all.filter(canRetry)).toEqual(['failed', 'refused', 'needs-choice']);
  });
});

describe('registration and call states in words', () => {
  it('registration: off, connecting, online, failed with the reason', () => {
    expect(registrationWords(undefined)).toEqual({ text: 'not registered', tone: 'off' });
    expect(registrationWords({ state: 'unregistered' })).toEqual({ text: 'not registered', tone: 'off' });
    expect(registrationWords({ state: 'registering' })).toEqual({ text: 'connecting…', tone: 'pending' });
    expect(registrationWords({ state: 'registered', until: 1 as never })).toEqual({ text: 'online', tone: 'ok' });
    expect(registrationWords({ state: 'failed', reason: 'forbidden', code: 403, retryAt: null })).toEqual({ text: 'failed: forbidden (403)', tone: 'bad' });
  });

  it('calls: each state, remote hold, the end reason; only ended calls are not live', () => {
    const c = (over: Partial<CallDto>): CallDto => ({
      id: 'c1' as CallId,
      accountId: 'acc-1' as AccountId,
      direction: 'out',
      peer: 'sip:bob@x',
      peerName: 'Bob',
      state: 'connected',
      muted: false,
      onHold: false,
      remoteHold: false,
      waiting: false,
      active: true,
      encrypted: false,
      codec: null, wideband: false, dtmfReceived: '',
      startedAt: 0 as never,
      connectedAt: null,
      endedAt: null,
      endReason: null,
      ...over,
    });
    expect(callStateWords(c({ state: 'dialing' }))).toBe('calling…');
    expect(callStateWords(c({ state: 'ringing' }))).toBe('ringing…');
    expect(callStateWords(c({ state: 'incoming' }))).toBe('incoming call');
    expect(callStateWords(c({ state: 'connected' }))).toBe('connected');
    expect(callStateWords(c({ state: 'connected', remoteHold: true }))).toBe('on hold by the other side');
    expect(callStateWords(c({ state: 'held' }))).toBe('on hold');
    expect(callStateWords(c({ state: 'ended' }))).toBe('ended');
    expect(callStateWords(c({ state: 'ended', endReason: 'busy (486)' }))).toBe('ended: busy (486)');
    expect((['dialing', 'ringing', 'incoming', 'connected', 'held', 'ended'] as const).filter((state) => isLive(c({ state })))).toEqual([
      'dialing',
      'ringing',
      'incoming',
      'connected',
      'held',
    ]);
  });
});

describe('account form model: an account → the form → the same input', () => {
  it('formFromAccount round-trips through validation (editing keeps the saved password)', () => {
    const a = { ...account('acc-1', 'sip:alice@pbx.example.com'), displayName: 'Alice', authUser: '1001', outboundProxy: 'sip:proxy.example.com;transport=tcp', port: 5070, transport: 'tcp' as const };
    const form = formFromAccount(a);
    expect(form).toMatchObject({ password: '', port: '5070', outboundProxy: 'sip:proxy.example.com;transport=tcp', pinnedCertificate: '' });
    const r = validateAccountForm(form, { id: a.id, hasPassword: true });
    expect(r.errors).toEqual({});
    // toMatchObject: fields other issues add to AccountInput keep their defaults
    expect(r.input).toMatchObject({
      id: a.id,
      aor: a.aor,
      displayName: 'Alice',
      authUser: '1001',
      password: null,
      registrar: 'example.test',
      outboundProxy: 'sip:proxy.example.com;transport=tcp',
      transport: 'tcp',
      port: 5070,
      cpim: false,
      pinnedCertificate: null,
      enabled: true,
    });
    expect(formFromAccount({ ...a, port: null, outboundProxy: null }).port).toBe('');
  });

  it('rejects a bad registrar, a port out of range or not a number, a non-PEM certificate; editing without a saved password needs one', () => {
    const bad = validateAccountForm({ ...emptyAccountForm, aor: 'sip:a@b', password: 'x', registrar: 'bad host!', port: '65536' }, null);
    expect(Object.keys(bad.errors).sort()).toEqual(['port', 'registrar']);
    expect(validateAccountForm({ ...emptyAccountForm, aor: 'a@b', password: 'x', port: '50a' }, null).errors.port).toBeDefined();
    expect(validateAccountForm({ ...emptyAccountForm, aor: 'a@b', password: 'x', transport: 'tls', pinnedCertificate: 'not a pem' }, null).errors.pinnedCertificate).toMatch(/PEM/);
    expect(validateAccountForm({ ...emptyAccountForm, aor: 'a@b' }, { id: 'a' as AccountId, hasPassword: false }).errors.password).toBeDefined();
    expect(validateAccountForm({ ...emptyAccountForm, aor: 'sips:a@[2001:db8::1]:5061', password: 'x', registrar: 'sip:[2001:db8::1]' }, null).errors).toEqual({});
  });
});

describe('timeline rows and dates', () => {
  const now = new Date(2026, 11, 6, 15, 0).getTime();
  const day = 86_400_000;

  it('a separator on the first message of each day: Today, Yesterday, then the date; unknown ids skipped', () => {
    const msgs = {
      a: message('a', now - 3 * day),
      b: message('b', now - 3 * day + 60_000),
      c: message('c', now - day),
      d: message('d', now - 60_000),
      e: message('e', now),
    };
    const rows = timelineRows(['a', 'b', 'gone', 'c', 'd', 'e'], msgs, [], true, now);
    expect(rows.map((r) => r.key)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(rows.map((r) => r.day)).toEqual([dayLabel(now - 3 * day, now), null, 'Yesterday', 'Today', null]);
    expect(rows[0]?.day).not.toMatch(/Today|Yesterday/);
  });

  it('a row estimate grows with lines and the day separator', () => {
    const one = { kind: 'message' as const, key: 'x', message: message('x', 0, { body: 'hi' }), day: null, inCall: false };
    const many = { ...one, message: message('x', 0, { body: 'a\nb\nc' }) };
    const withDay = { ...one, day: 'Today' };
    expect(estimateRowHeight(many)).toBeGreaterThan(estimateRowHeight(one));
    expect(estimateRowHeight(withDay) - estimateRowHeight(one)).toBe(36);
    expect(estimateRowHeight({ ...one, message: message('x', 0, { body: 'x'.repeat(600) }) })).toBeGreaterThan(estimateRowHeight(one));
  });

  it('the conversation list shows a time today and a date before', () => {
    expect(shortWhen(now - 60_000, now)).toBe(timeOfDay(now - 60_000));
    expect(shortWhen(now - 2 * day, now)).not.toBe(timeOfDay(now - 2 * day));
  });
});

describe('store slices: ui, contacts, calls, and the normalized collections under them', () => {
  beforeEach(() => resetStore());

  it('ui: navigation, the account form, call focus and the notice banner', () => {
    const s = () => appStore.getState();
    s().navigated('contacts');
    expect(s().screen).toBe('contacts');
    s().accountFormOpened(null);
    expect(s()).toMatchObject({ screen: 'accounts', accountForm: 'new' });
    s().accountFormOpened('acc-1');
    expect(s().accountForm).toBe('acc-1');
    s().accountFormClosed();
    expect(s().accountForm).toBeNull();
    s().conversationOpened('conv-9' as ConversationId);
    expect(s()).toMatchObject({ screen: 'chat', openConversationId: 'conv-9' });
    s().callFocused('c1' as CallId);
    expect(s()).toMatchObject({ screen: 'calls', focusedCallId: 'c1' });
    s().callFocused(null);
    expect(s()).toMatchObject({ screen: 'calls', focusedCallId: null }); // unfocusing does not navigate away
    s().noticeShown('The PBX is unreachable.');
    expect(s().notice).toBe('The PBX is unreachable.');
    s().noticeDismissed();
    expect(s().notice).toBeNull();
  });

  it('contacts sorted by name, case-insensitively, by address when nameless; calls newest first with ties by id', () => {
    const k = (id: string, displayName: string, address: string) => ({ id: id as ContactId, displayName, address, note: '', createdAt: 1 as never, blocked: false });
    appStore.getState().contactsChanged([k('1', 'zed', 'sip:z@x'), k('2', '', 'sip:bea@x'), k('3', 'Anna', 'sip:a@x')]);
    expect(appStore.getState().contacts.ids).toEqual(['3', '2', '1']);
    const call = (id: string, startedAt: number) => ({ id, startedAt }) as unknown as CallDto;
    appStore.getState().callsLoaded([call('b', 1), call('a', 1), call('c', 5)]);
    expect(appStore.getState().calls.ids).toEqual(['c', 'a', 'b']);
    appStore.getState().callChanged(call('d', 3));
    expect(appStore.getState().calls.ids).toEqual(['c', 'd', 'a', 'b']);
  });

  it('normalized: upsert keeps order (or appends), replaces in place, remove is a no-op for unknown ids', () => {
    const byN = (a: { id: string; n: number }, b: { id: string; n: number }) => a.n - b.n;
    let c = normalize([{ id: 'x', n: 3 }, { id: 'y', n: 1 }], (v) => v.id, byN);
    expect(c.ids).toEqual(['y', 'x']);
    c = upsert(c, { id: 'z', n: 2 }, (v) => v.id, byN);
    expect(c.ids).toEqual(['y', 'z', 'x']);
    c = upsert(c, { id: 'y', n: 9 }, (v) => v.id, byN);
    expect(c.ids).toEqual(['z', 'x', 'y']);
    const plain = upsert(upsert(emptyNormalized<{ id: string; n: number }>(), { id: 'a', n: 1 }, (v) => v.id), { id: 'a', n: 2 }, (v) => v.id);
    expect(plain).toEqual({ byId: { a: { id: 'a', n: 2 } }, ids: ['a'] });
    expect(remove(c, 'nope')).toBe(c);
    expect(listOf(remove(c, 'x')).map((v) => v.id)).toEqual(['z', 'y']);
    expect(insertionIndex(['a', 'b', 'c'], (id) => (id <= 'b' ? 1 : -1))).toBe(2);
    expect(insertionIndex([], () => 1)).toBe(0);
  });
});
