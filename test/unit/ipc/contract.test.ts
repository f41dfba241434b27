/**
 * Contract, handlers and preload agree: every contract channel has a handler and an ipcMain registration,
 * the preload forwards exactly the contract's channels and events, and the router never throws across IPC.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { eventNames, invokeChannels, invokeContract } from '#shared/ipc/contract.ts';
import { createPreloadApi, type IpcRendererLike } from '../../../main/preload/api.ts';
import { createIpcRouter, type IpcHandlers } from '../../../main/ipc/router.ts';
import { ServiceError } from '../../../main/ipc/service-error.ts';
import { createAppServices } from '../../../main/services/app-services.ts';
import { createTestSecretStore } from '../../../main/services/secret-store.ts';

const registered = new Map<string, (...args: unknown[]) => unknown>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (...args: unknown[]) => unknown) => registered.set(channel, fn),
    removeHandler: (channel: string) => registered.delete(channel),
  },
}));

async function services() {
  // limitHeapGrowth off: V8's flag is process-wide and this is the test worker's process
  return createAppServices({ dataDir: mkdtempSync(join(tmpdir(), 'contract-')), secrets: createTestSecretStore(), appVersion: '0.0.0-test', limitHeapGrowth: false });
}

describe('IPC contract', () => {
  it('names channels domain:verb-noun and events in the past tense domain:…-ed', () => {
    for (const c of invokeChannels) expect(c).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/);
    for (const e of eventNames) expect(e).toMatch(/^[a-z]+:[a-z-]+ed(-[a-z]+)?$/);
  });

  it('has a handler for every channel and no handler outside the contract', async () => {
    const app = await services();
    expect(Object.keys(app.handlers).sort()).toEqual([...invokeChannels].sort());
    await app.dispose();
  });

  it('registers every contract channel with ipcMain, and only those, behind the sender check', async () => {
    const { registerIpc } = await import('../../../main/ipc/electron-ipc.ts');
    const app = await services();
    const router = createIpcRouter(app.handlers);
    let trusted = false;
    const unregister = registerIpc(router, () => trusted);
    expect([...registered.keys()].sort()).toEqual([...invokeChannels].sort());
    const handler = registered.get('app:get-info');
    expect(await handler?.({}, null)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    trusted = true;
    expect(await handler?.({}, null)).toMatchObject({ ok: true, value: { version: '0.0.0-test' } });
    unregister();
    expect(registered.size).toBe(0);
    await app.dispose();
  });

  it('preload forwards exactly the contract: invoke channels and events', async () => {
    const invoked: string[] = [];
    const subscribed: string[] = [];
    const ipc: IpcRendererLike = {
      invoke: async (channel) => {
        invoked.push(channel);
        return { ok: true, value: null };
      },
      on: (channel) => subscribed.push(channel),
      removeListener: () => undefined,
    };
    const api = createPreloadApi(ipc);
    for (const c of invokeChannels) await api.invoke(c, null as never);
    for (const e of eventNames) api.on(e, () => undefined)();
    expect(invoked).toEqual([...invokeChannels]);
    expect(subscribed).toEqual([...eventNames]);
    // anything else is refused before it reaches Electron
    expect(await api.invoke('fs:read-file' as never, null as never)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(() => api.on('evil:happened' as never, () => undefined)).toThrow(/No such event/);
    expect(invoked).toHaveLength(invokeChannels.length);
  });

  it('preload turns a failed ipc invoke into an error envelope instead of throwing', async () => {
    const api = createPreloadApi({ invoke: () => Promise.reject(new Error('boom')), on: () => undefined, removeListener: () => undefined });
    expect(await api.invoke('app:get-info', null)).toMatchObject({ ok: false, error: { code: 'ipc-failed' } });
  });

  it('router validates requests, wraps results, maps ServiceError and never throws', async () => {
    const app = await services();
    const handlers: IpcHandlers = {
      ...app.handlers,
      'contacts:remove': ({ id }) => {
        if (id === 'missing') throw new ServiceError('not-found', 'No such contact.');
        throw new TypeError('bug');
      },
    };
    const logged: string[] = [];
    const router = createIpcRouter(handlers, (m) => logged.push(m));
    expect(await router.dispatch('nope:nothing', null)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(await router.dispatch('contacts:remove', { id: 42 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await router.dispatch('contacts:remove', { id: 'missing' })).toEqual({ ok: false, error: { code: 'not-found', message: 'No such contact.' } });
    expect(await router.dispatch('contacts:remove', { id: 'x' })).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(logged).toEqual(['ipc contacts:remove failed']);
    expect(await router.dispatch('app:get-info', null)).toMatchObject({ ok: true, value: { name: 'SIP Messenger' } });
    expect(Object.keys(invokeContract)).toEqual(invokeChannels);
    await app.dispose();
  });
});
