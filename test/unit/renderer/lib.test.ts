import { describe, expect, it } from 'vitest';
import { deliveryView } from '../../../renderer/src/lib/delivery.ts';
import { registrationWords } from '../../../renderer/src/lib/registration.ts';
import { duration } from '../../../renderer/src/lib/format.ts';
import { utf8Bytes } from '../../../renderer/src/lib/utf8.ts';
import { commandForKey, screenForShortcut } from '../../../renderer/src/features/shell/shortcuts.ts';
import { timelineRows } from '../../../renderer/src/features/chats/timeline-rows.ts';
import { message } from './fixtures.ts';

describe('renderer helpers', () => {
  it('counts UTF-8 octets like TextEncoder (RFC 3428 §8 limits octets, not characters)', () => {
    for (const t of ['', 'abc', 'é', '€', '😀', 'a😀b€é', '\ud800x', 'x\udc00']) {
      expect(utf8Bytes(t)).toBe(new TextEncoder().encode(t).length);
    }
  });

  it('delivery states read as plain words (RFC 3428 §7: 200 delivered, 202 accepted)', () => {
    expect(deliveryView({ state: 'delivered', reason: null, code: 200 }).text).toBe('delivered to the device');
    expect(deliveryView({ state: 'accepted', reason: null, code: 202 }).text).toBe('accepted by the server, not yet delivered');
    expect(deliveryView({ state: 'failed', reason: 'no answer', code: 408 }).text).toBe('failed: no answer (408)');
    expect(deliveryView({ state: 'refused', reason: 'declined', code: 603 }).text).toBe('refused: declined (603)');
    expect(deliveryView({ state: 'expired', reason: null, code: null }).text).toBe('expired');
    expect(deliveryView({ state: 'queued', reason: null, code: null }).text).toBe('waiting to be sent');
    expect(deliveryView({ state: 'queued', reason: 'waiting for the PBX — last tried 12:03', code: null }).text).toBe('waiting for the PBX — last tried 12:03');
  });

  it('a reason that already carries its status code (as main words them) shows the code once', () => {
    expect(deliveryView({ state: 'failed', reason: 'no such user (404)', code: 404 }).text).toBe('failed: no such user (404)');
    expect(deliveryView({ state: 'failed', reason: null, code: 500 }).text).toBe('failed: error 500');
    const failed = (reason: string, code: number | null) => registrationWords({ state: 'failed', reason, code, retryAt: null }).text;
    expect(failed('wrong password (401)', 401)).toBe('failed: wrong password (401)');
    expect(failed('forbidden', 403)).toBe('failed: forbidden (403)');
    expect(failed('server unreachable', null)).toBe('failed: server unreachable');
  });

  it('formats call durations', () => {
    expect([duration(0), duration(65_000), duration(3_725_000)]).toEqual(['0:00', '1:05', '1:02:05']);
  });

  it('Ctrl+F opens search, Ctrl+K the quick switcher, Alt+↑/↓ steps conversations, Alt+digit the main places, Esc goes back', () => {
    const k = (key: string, o: { ctrl?: boolean; alt?: boolean } = {}) =>
      screenForShortcut({ key, ctrlKey: o.ctrl ?? false, metaKey: false, altKey: o.alt ?? false, shiftKey: false });
    expect([k('f', { ctrl: true }), k('5', { alt: true }), k('k'), k('9', { alt: true }), k('k', { ctrl: true })]).toEqual(['search', 'diagnostics', null, null, null]);
    const c = (key: string, o: { ctrl?: boolean; alt?: boolean } = {}) =>
      commandForKey({ key, ctrlKey: o.ctrl ?? false, metaKey: false, altKey: o.alt ?? false, shiftKey: false });
    expect(c('k', { ctrl: true })).toEqual({ kind: 'quick-switcher' });
    expect(c('ArrowDown', { alt: true })).toEqual({ kind: 'conversation-step', step: 1 });
    expect(c('ArrowUp', { alt: true })).toEqual({ kind: 'conversation-step', step: -1 });
    expect(c('Escape')).toEqual({ kind: 'back' });
    expect(c('ArrowDown')).toBeNull();
  });

  it('puts one day separator before the first message of each day', () => {
    const day = 86_400_000;
    const base = new Date(2024, 0, 10, 12).getTime();
    const msgs = { a: message('a', base), b: message('b', base + 1000), c: message('c', base + day) };
    const rows = timelineRows(['a', 'b', 'c'], msgs, [], true, base + 10 * day);
    expect(rows.map((r) => r.day !== null)).toEqual([true, false, true]);
    expect(rows.map((r) => r.key)).toEqual(['a', 'b', 'c']);
  });
});
