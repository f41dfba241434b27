/**
 * "Check for updates": the logic behind the menu item, without Electron. The feed is a generic URL written
 * by electron-builder into resources/app-update.yml when the build configuration has `publish` (see
 * electron-builder.yml); no file = no feed = the item is off. Downloading and verifying the update's
 * signature/sha512 is electron-updater's job (the injected `updater`), never reimplemented here.
 */
import { join } from 'node:path';

/** The part of electron-updater's AppUpdater we drive. */
export interface UpdaterLike {
  checkForUpdates(): Promise<{ readonly isUpdateAvailable?: boolean; readonly updateInfo: { readonly version: string } } | null>;
}

export type UpdateCheckOutcome =
  | { readonly state: 'off' }
  | { readonly state: 'current'; readonly version: string }
  | { readonly state: 'available'; readonly version: string }
  | { readonly state: 'failed'; readonly reason: string };

/** electron-updater reads `<resources>/app-update.yml`; it exists only when a feed was configured at build time. */
export function updateFeedConfigured(resourcesPath: string | undefined, exists: (path: string) => boolean): boolean {
  return resourcesPath !== undefined && exists(join(resourcesPath, 'app-update.yml'));
}

export interface UpdateChecker {
  readonly enabled: boolean;
  check(): Promise<UpdateCheckOutcome>;
}

export function createUpdateChecker(options: { feedConfigured: boolean; currentVersion: string; updater: () => Promise<UpdaterLike> }): UpdateChecker {
  let running: Promise<UpdateCheckOutcome> | null = null;
  const run = async (): Promise<UpdateCheckOutcome> => {
    try {
      const result = await (await options.updater()).checkForUpdates();
      if (result === null) return { state: 'off' };
      const available = result.isUpdateAvailable ?? result.updateInfo.version !== options.currentVersion;
      return available ? { state: 'available', version: result.updateInfo.version } : { state: 'current', version: options.currentVersion };
    } catch (e) {
      return { state: 'failed', reason: e instanceof Error ? e.message : String(e) };
    }
  };
  return {
    enabled: options.feedConfigured,
    check() {
      if (!options.feedConfigured) return Promise.resolve({ state: 'off' });
      // a second click while checking joins the running check
      running ??= run().finally(() => (running = null));
      return running;
    },
  };
}

/** Plain words for the dialog. */
export function describeUpdateOutcome(outcome: UpdateCheckOutcome): string {
  switch (outcome.state) {
    case 'off':
      return 'Updates are not configured for this build.';
    case 'current':
      return `SIP Messenger ${outcome.version} is the latest version.`;
    case 'available':
      return `Version ${outcome.version} is available; it is downloading and will be installed when you quit.`;
    case 'failed':
      return `Could not check for updates: ${outcome.reason}`;
  }
}
