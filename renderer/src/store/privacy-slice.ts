import { DEFAULT_PRIVACY, type PrivacySettings } from '#shared/domain/privacy.ts';
import type { SliceCreator } from './types.ts';

/** The privacy settings as main last reported them (`settings:privacy-changed`, or the initial load). */
export interface PrivacySlice {
  readonly privacy: PrivacySettings;
  privacyChanged(settings: PrivacySettings): void;
}

export const initialPrivacy = { privacy: DEFAULT_PRIVACY };

export const createPrivacySlice: SliceCreator<PrivacySlice> = (set) => ({
  ...initialPrivacy,
  privacyChanged: (privacy) => set({ privacy }),
});
