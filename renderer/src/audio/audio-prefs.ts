/**
 * The user's audio devices (settings → Audio): microphone, speaker (call audio) and ringer (ringtone),
 * by MediaDeviceInfo.deviceId; '' = the system default. Kept in localStorage on this machine.
 */
export interface AudioPrefs {
  readonly microphone: string;
  readonly speaker: string;
  readonly ringer: string;
}

export const AUDIO_PREFS_KEY = 'sip-messenger.audio.v1';
const DEFAULTS: AudioPrefs = { microphone: '', speaker: '', ringer: '' };

export function loadAudioPrefs(): AudioPrefs {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(AUDIO_PREFS_KEY) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return DEFAULTS;
    const pick = (k: keyof AudioPrefs) => {
      const v: unknown = Reflect.get(parsed, k);
      return typeof v === 'string' && v.length < 512 ? v : '';
    };
    return { microphone: pick('microphone'), speaker: pick('speaker'), ringer: pick('ringer') };
  } catch {
    return DEFAULTS;
  }
}

export function saveAudioPrefs(prefs: AudioPrefs): void {
  try {
    localStorage.setItem(AUDIO_PREFS_KEY, JSON.stringify(prefs));
  } catch {
    // unavailable storage: the choice lasts for this session only
  }
}

/** routes an AudioContext to a device when the browser can (Chromium's AudioContext.setSinkId) */
export async function routeTo(context: AudioContext, deviceId: string): Promise<void> {
  if (deviceId === '') return;
  const setSinkId: unknown = Reflect.get(context, 'setSinkId');
  if (typeof setSinkId === 'function') await (setSinkId as (id: string) => Promise<void>).call(context, deviceId).catch(() => undefined);
}
