import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createUpdateChecker, describeUpdateOutcome, updateFeedConfigured, type UpdaterLike } from '../../../main/services/update-check.ts';

const updater = (answer: () => ReturnType<UpdaterLike['checkForUpdates']>) => {
  let calls = 0;
  const u: UpdaterLike = { checkForUpdates: () => (calls++, answer()) };
  return { get: () => Promise.resolve(u), calls: () => calls };
};

describe('update check (menu "Check for Updates…")', () => {
  it('the feed is configured only when electron-builder wrote app-update.yml into resources', () => {
    const seen: string[] = [];
    expect(updateFeedConfigured('/opt/app/resources', (p) => (seen.push(p), true))).toBe(true);
    expect(seen).toEqual([join('/opt/app/resources', 'app-update.yml')]);
    expect(updateFeedConfigured('/opt/app/resources', () => false)).toBe(false);
    expect(updateFeedConfigured(undefined, () => true)).toBe(false);
  });

  it('off without a feed: disabled and never asks electron-updater', async () => {
    const u = updater(() => Promise.reject(new Error('must not be called')));
    const checker = createUpdateChecker({ feedConfigured: false, currentVersion: '0.1.0', updater: u.get });
    expect(checker.enabled).toBe(false);
    expect(await checker.check()).toEqual({ state: 'off' });
    expect(u.calls()).toBe(0);
  });

  it('reports available / current / failed in plain words', async () => {
    const newer = createUpdateChecker({ feedConfigured: true, currentVersion: '0.1.0', updater: updater(async () => ({ isUpdateAvailable: true, updateInfo: { version: '0.2.0' } })).get });
    expect(await newer.check()).toEqual({ state: 'available', version: '0.2.0' });
    const same = createUpdateChecker({ feedConfigured: true, currentVersion: '0.1.0', updater: updater(async () => ({ isUpdateAvailable: false, updateInfo: { version: '0.1.0' } })).get });
    expect(await same.check()).toEqual({ state: 'current', version: '0.1.0' });
    const broken = createUpdateChecker({ feedConfigured: true, currentVersion: '0.1.0', updater: updater(() => Promise.reject(new Error('sha512 checksum mismatch'))).get });
    const failed = await broken.check();
    expect(failed).toEqual({ state: 'failed', reason: 'sha512 checksum mismatch' });
    expect(describeUpdateOutcome(failed)).toBe('Could not check for updates: sha512 checksum mismatch');
    expect(describeUpdateOutcome({ state: 'available', version: '0.2.0' })).toMatch(/0\.2\.0 is available/);
    // electron-updater answers null when the app is not packaged: treated as off
    const dev = createUpdateChecker({ feedConfigured: true, currentVersion: '0.1.0', updater: updater(async () => null).get });
    expect(await dev.check()).toEqual({ state: 'off' });
  });

  it('a second click while a check runs joins it (one request to the feed)', async () => {
    let release!: () => void;
    const u = updater(() => new Promise((r) => (release = () => r({ updateInfo: { version: '0.3.0' } }))));
    const checker = createUpdateChecker({ feedConfigured: true, currentVersion: '0.1.0', updater: u.get });
    const a = checker.check();
    const b = checker.check();
    await new Promise<void>((r) => setImmediate(r));
    release();
    expect(await a).toEqual({ state: 'available', version: '0.3.0' });
    expect(await b).toBe(await a);
    expect(u.calls()).toBe(1);
  });
});
