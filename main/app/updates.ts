/** Shell glue for "Check for updates": electron-updater + a message box. The logic is services/update-check.ts. */
import { existsSync } from 'node:fs';
import { app, dialog } from 'electron';
import { createUpdateChecker, describeUpdateOutcome, updateFeedConfigured, type UpdateChecker } from '../services/update-check.ts';

export function createAppUpdateChecker(): UpdateChecker {
  return createUpdateChecker({
    feedConfigured: app.isPackaged && updateFeedConfigured(process.resourcesPath, existsSync),
    currentVersion: app.getVersion(),
    updater: async () => {
      const { autoUpdater } = (await import('electron-updater')).default;
      autoUpdater.autoDownload = true; // verified by electron-updater (sha512, and the publisher signature on Windows)
      autoUpdater.autoInstallOnAppQuit = true;
      return autoUpdater;
    },
  });
}

export async function checkForUpdatesInteractively(checker: UpdateChecker): Promise<void> {
  const outcome = await checker.check();
  await dialog.showMessageBox({ type: outcome.state === 'failed' ? 'warning' : 'info', message: describeUpdateOutcome(outcome) });
}
