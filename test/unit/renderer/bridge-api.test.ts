/**
 * The typed wrappers in renderer/src/bridge/api.ts: one per channel. Types cannot catch a wrapper that
 * calls the wrong channel when two channels take the same request (contacts:block / contacts:unblock,
 * chats:retry-message / chats:cancel-message): here every wrapper is called with a request of its own,
 * and each must reach a distinct contract channel with that request unchanged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as api from '../../../renderer/src/bridge/api.ts';
import { API_GLOBAL, invokeChannels, type InvokeChannel, type MessengerApi } from '#shared/ipc/contract.ts';
import { ok } from '#shared/ipc/result.ts';

afterEach(() => {
  Reflect.deleteProperty(globalThis, API_GLOBAL);
});

describe('bridge api wrappers', () => {
  it('each wrapper forwards its own request, unchanged, to its own contract channel', async () => {
    const asked: { channel: InvokeChannel; request: unknown }[] = [];
    const bridge: MessengerApi = {
      invoke: (async (channel: InvokeChannel, request: unknown) => {
        asked.push({ channel, request });
        return ok(null);
      }) as MessengerApi['invoke'],
      on: () => () => undefined,
    };
    Reflect.set(globalThis, API_GLOBAL, bridge);
    const wrappers = Object.entries(api).filter(([name, fn]) => typeof fn === 'function' && name !== 'messengerApi') as [string, (r?: unknown) => Promise<unknown>][];
    expect(wrappers.length).toBeGreaterThan(50);
    const byChannel = new Map<InvokeChannel, string>();
    for (const [name, fn] of wrappers) {
      const request = { marker: name };
      asked.length = 0;
      expect(await fn(request)).toEqual(ok(null));
      expect(asked, name).toHaveLength(1);
      const [{ channel, request: sent }] = asked as [{ channel: InvokeChannel; request: unknown }];
      expect(invokeChannels, name).toContain(channel);
      // a wrapper without a parameter sends null; one with a request sends exactly what it was given
      expect(sent, name).toBe(fn.length === 0 ? null : request);
      expect(byChannel.get(channel), `${name} and ${byChannel.get(channel) ?? ''} both call ${channel}`).toBeUndefined();
      byChannel.set(channel, name);
    }
  });
});
