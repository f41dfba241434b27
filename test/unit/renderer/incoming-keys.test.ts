import { describe, expect, it } from 'vitest';
import { callForKeys, incomingCommandForKey } from '../../../renderer/src/features/calls/incoming-keys.ts';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({
  key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods,
});

describe('incoming call keys (issue 16 item 8)', () => {
  it('Ctrl/Cmd+Shift+A answers, Ctrl/Cmd+Shift+D declines', () => {
    expect(incomingCommandForKey(key('A', { ctrlKey: true, shiftKey: true }))).toBe('answer');
    expect(incomingCommandForKey(key('a', { metaKey: true, shiftKey: true }))).toBe('answer');
    expect(incomingCommandForKey(key('D', { ctrlKey: true, shiftKey: true }))).toBe('decline');
  });
  it('plain letters, Ctrl+A (select all) and Ctrl+Alt+Shift are not ours', () => {
    expect(incomingCommandForKey(key('a'))).toBeNull();
    expect(incomingCommandForKey(key('a', { ctrlKey: true }))).toBeNull();
    expect(incomingCommandForKey(key('d', { shiftKey: true }))).toBeNull();
    expect(incomingCommandForKey(key('a', { ctrlKey: true, shiftKey: true, altKey: true }))).toBeNull();
    expect(incomingCommandForKey(key('x', { ctrlKey: true, shiftKey: true }))).toBeNull();
  });
  it('the keys act on the ringing call, not a waiting one, when both ring', () => {
    const waiting = { id: 'w', waiting: true };
    const ringing = { id: 'r', waiting: false };
    expect(callForKeys([waiting, ringing])?.id).toBe('r');
    expect(callForKeys([waiting])?.id).toBe('w');
    expect(callForKeys([])).toBeNull();
  });
});
