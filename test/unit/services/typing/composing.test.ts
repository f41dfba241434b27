import { describe, expect, it } from 'vitest';
import { ComposingReceiver, MAX_PEERS } from '../../../../main/services/typing/composing-receiver.ts';
import { ComposingSender } from '../../../../main/services/typing/composing-sender.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

function sender() {
  const clock = new FakeClock(1_000_000);
  const sent: { at: number; state: string; refresh: number | null }[] = [];
  const s = new ComposingSender({ clock, send: (state, refresh) => sent.push({ at: clock.now(), state, refresh }) });
  return { clock, sent, s };
}

describe('composer (RFC 3994 §3.2)', () => {
  it('sends active with refresh 120 on the first keystroke, nothing more for later keystrokes', () => {
    const { clock, sent, s } = sender();
    s.typed();
    clock.advance(1000);
    s.typed();
    clock.advance(1000);
    s.typed();
    expect(sent).toEqual([{ at: 1_000_000, state: 'active', refresh: 120 }]);
  });

  it('MUST go idle after 15 s without typing, and says so once', () => {
    const { clock, sent, s } = sender();
    s.typed();
    clock.advance(14_999);
    expect(sent.map((m) => m.state)).toEqual(['active']);
    clock.advance(1);
    expect(sent.map((m) => m.state)).toEqual(['active', 'idle']);
    expect(s.state).toBe('idle');
    clock.advance(600_000);
    expect(sent).toHaveLength(2);
  });

  it('refreshes active at most once per 90 s while the user keeps typing', () => {
    const { clock, sent, s } = sender();
    // a keystroke every 10 s for 5 minutes
    for (let t = 0; t <= 300_000; t += 10_000) {
      s.typed();
      clock.advance(10_000);
    }
    const actives = sent.filter((m) => m.state === 'active').map((m) => m.at - 1_000_000);
    expect(actives).toEqual([0, 90_000, 180_000, 270_000]);
    for (let i = 1; i < actives.length; i++) expect((actives[i] as number) - (actives[i - 1] as number)).toBeGreaterThanOrEqual(90_000);
    // every refresh comes before the 120 s the peer waits
    for (let i = 1; i < actives.length; i++) expect((actives[i] as number) - (actives[i - 1] as number)).toBeLessThan(120_000);
  });

  it('goes idle WITHOUT an idle message when the message is sent (§3.2)', () => {
    const { clock, sent, s } = sender();
    s.typed();
    s.messageSent();
    clock.advance(60_000);
    expect(sent.map((m) => m.state)).toEqual(['active']);
    s.typed();
    expect(sent.map((m) => m.state)).toEqual(['active', 'active']);
  });

  it('sends idle at once when the composer is emptied', () => {
    const { sent, s } = sender();
    s.cleared();
    expect(sent).toHaveLength(0);
    s.typed();
    s.cleared();
    expect(sent.map((m) => m.state)).toEqual(['active', 'idle']);
  });
});

describe('receiver (RFC 3994 §3.3)', () => {
  function receiver() {
    const clock = new FakeClock();
    const changes: [string, boolean][] = [];
    const r = new ComposingReceiver(clock, (k, t) => changes.push([k, t]));
    return { clock, changes, r };
  }

  it('shows typing on active and drops it when the announced refresh runs out', () => {
    const { clock, changes, r } = receiver();
    r.received('bob', { state: 'active', refresh: 60, contentType: null, lastActive: null });
    expect(changes).toEqual([['bob', true]]);
    clock.advance(59_999);
    expect(r.isTyping('bob')).toBe(true);
    clock.advance(1);
    expect(changes).toEqual([['bob', true], ['bob', false]]);
  });

  it('uses 120 s when the active had no refresh; a refresh restarts the timer without a new event', () => {
    const { clock, changes, r } = receiver();
    r.received('bob', { state: 'active', refresh: null, contentType: null, lastActive: null });
    clock.advance(100_000);
    r.received('bob', { state: 'active', refresh: null, contentType: null, lastActive: null });
    clock.advance(100_000);
    expect(changes).toEqual([['bob', true]]);
    clock.advance(20_000);
    expect(changes).toEqual([['bob', true], ['bob', false]]);
  });

  it('idle or a content message ends typing; idle when not typing says nothing', () => {
    const { changes, r } = receiver();
    r.received('bob', { state: 'idle', refresh: null, contentType: null, lastActive: null });
    expect(changes).toEqual([]);
    r.received('bob', { state: 'active', refresh: 90, contentType: null, lastActive: null });
    r.received('bob', { state: 'idle', refresh: null, contentType: null, lastActive: null });
    r.received('ann', { state: 'active', refresh: 90, contentType: null, lastActive: null });
    r.messageReceived('ann');
    expect(changes).toEqual([['bob', true], ['bob', false], ['ann', true], ['ann', false]]);
  });

  it('bounds how many peers it tracks', () => {
    const { clock, r } = receiver();
    for (let i = 0; i < MAX_PEERS + 50; i++) r.received(`p${i}`, { state: 'active', refresh: 120, contentType: null, lastActive: null });
    expect(r.isTyping('p0')).toBe(false);
    expect(r.isTyping(`p${MAX_PEERS + 49}`)).toBe(true);
    expect(clock.pending().length).toBe(MAX_PEERS);
  });
});
