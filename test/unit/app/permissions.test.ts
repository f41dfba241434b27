import { describe, expect, it } from 'vitest';
import type { Session, WebContents } from 'electron';
import { appPageMatcher } from '../../../main/app/app-page.ts';
import { allowPermissionCheck, allowPermissionRequest, CallsInProgress, type PermissionAsk } from '../../../main/app/permissions.ts';
import { guardPermissions } from '../../../main/app/security.ts';
import type { CallState } from '#shared/domain/call.ts';

const INDEX = '/opt/app/out/renderer/index.html';
const OURS = 'file:///opt/app/out/renderer/index.html';
const isApp = appPageMatcher({ devUrl: null, indexFile: INDEX, platform: 'linux' });
const mic: PermissionAsk = { permission: 'media', mediaTypes: ['audio'], fromOurWindow: true, isMainFrame: true, requestingUrl: OURS };

describe('microphone permission (request handler)', () => {
  it('is granted to our main frame asking for audio while a call rings or is up', () => {
    expect(allowPermissionRequest(mic, isApp, true)).toBe(true);
  });

  it('is refused with no call, and for anyone or anything else during a call', () => {
    expect(allowPermissionRequest(mic, isApp, false)).toBe(false);
    for (const ask of [
      { ...mic, mediaTypes: ['audio', 'video'] },
      { ...mic, mediaTypes: ['video'] },
      { ...mic, mediaTypes: [] },
      { ...mic, isMainFrame: false },
      { ...mic, fromOurWindow: false },
      { ...mic, requestingUrl: 'file:///tmp/evil/out/renderer/index.html' },
      { ...mic, requestingUrl: `${OURS}%` },
      { ...mic, permission: 'geolocation' },
      { ...mic, permission: 'notifications' },
      { ...mic, permission: 'openExternal' },
    ]) {
      expect(allowPermissionRequest(ask, isApp, true), JSON.stringify(ask)).toBe(false);
    }
  });
});

describe('permission check handler (device labels in Settings)', () => {
  it('answers yes for our page asking about audio (or the unknown type of a device listing), no otherwise', () => {
    expect(allowPermissionCheck(mic, isApp)).toBe(true);
    expect(allowPermissionCheck({ ...mic, mediaTypes: ['unknown'] }, isApp)).toBe(true);
    expect(allowPermissionCheck({ ...mic, mediaTypes: ['video'] }, isApp)).toBe(false);
    expect(allowPermissionCheck({ ...mic, isMainFrame: false }, isApp)).toBe(false);
    expect(allowPermissionCheck({ ...mic, fromOurWindow: false }, isApp)).toBe(false);
    expect(allowPermissionCheck({ ...mic, permission: 'clipboard-read' }, isApp)).toBe(false);
  });
});

describe('calls in progress', () => {
  it('counts a call from dialing or incoming until it ends', () => {
    const calls = new CallsInProgress();
    expect(calls.any).toBe(false);
    const states: CallState[] = ['incoming', 'connected', 'held'];
    for (const state of states) {
      calls.update({ id: 'a', state });
      expect(calls.any).toBe(true);
    }
    calls.update({ id: 'b', state: 'dialing' });
    calls.update({ id: 'a', state: 'ended' });
    expect(calls.any).toBe(true);
    calls.update({ id: 'b', state: 'ended' });
    expect(calls.any).toBe(false);
  });
});

describe('guardPermissions wires the session to these decisions', () => {
  type RequestHandler = (c: WebContents, p: string, cb: (ok: boolean) => void, d: object) => void;
  type CheckHandler = (c: WebContents | null, p: string, origin: string, d: object) => boolean;
  function fakeSession() {
    const h: { request?: RequestHandler; check?: CheckHandler } = {};
    const session = {
      setPermissionRequestHandler: (fn: RequestHandler) => (h.request = fn),
      setPermissionCheckHandler: (fn: CheckHandler) => (h.check = fn),
    } as unknown as Session;
    return { session, h };
  }

  it('grants our window audio only during a call; another webContents never', () => {
    const ours = { id: 1 } as WebContents;
    const other = { id: 2 } as WebContents;
    let inCall = false;
    const { session, h } = fakeSession();
    guardPermissions(session, { ownContents: () => ours, isAppUrl: isApp, callInProgress: () => inCall });
    const ask = (c: WebContents) => {
      let answer: boolean | null = null;
      h.request?.(c, 'media', (ok) => (answer = ok), { mediaTypes: ['audio'], isMainFrame: true, requestingUrl: OURS });
      return answer;
    };
    expect(ask(ours)).toBe(false);
    inCall = true;
    expect(ask(ours)).toBe(true);
    expect(ask(other)).toBe(false);
    expect(h.check?.(ours, 'media', 'file://', { mediaType: 'audio', isMainFrame: true, requestingUrl: OURS })).toBe(true);
    expect(h.check?.(null, 'media', 'file://', { mediaType: 'audio', isMainFrame: true, requestingUrl: OURS })).toBe(false);
    expect(h.check?.(ours, 'media', 'file://', { mediaType: 'audio', isMainFrame: true })).toBe(false);
  });
});
