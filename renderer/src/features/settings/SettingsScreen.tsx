import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { PrivacySettings } from '#shared/domain/privacy.ts';
import { loadAudioPrefs, saveAudioPrefs, type AudioPrefs } from '../../audio/audio-prefs.ts';
import { playTone, type PlayingTone } from '../../audio/tones.ts';
import { applyTheme, loadTheme, type ThemeChoice } from '../../lib/appearance.ts';
import { actions } from '../../store/store.ts';
import { useApp } from '../../store/use-app.ts';
import { loadPrivacySettings, savePrivacySettings } from './commands.ts';
import { NotificationSettingsSection } from './NotificationSettingsSection.tsx';
import { WatcherDecisions } from './WatcherRequests.tsx';

type Kind = 'audioinput' | 'audiooutput';

function useDevices(): { devices: MediaDeviceInfo[]; problem: string | null } {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const md = navigator.mediaDevices as MediaDevices | undefined;
    if (!md) return;
    const load = () =>
      md.enumerateDevices().then(setDevices, () => setProblem('The list of audio devices is not available.'));
    void load();
    md.addEventListener('devicechange', load);
    return () => md.removeEventListener('devicechange', load);
  }, []);
  return { devices, problem };
}

function DevicePicker(props: { readonly label: string; readonly kind: Kind; readonly devices: readonly MediaDeviceInfo[]; readonly value: string; readonly onChange: (id: string) => void; readonly onTest?: () => void }): ReactNode {
  const options = props.devices.filter((d) => d.kind === props.kind && d.deviceId !== 'default' && d.deviceId !== '');
  return (
    <div className="field-row settings-row">
      <label className="field">
        <span className="field-label">{props.label}</span>
        <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
          <option value="">System default</option>
          {options.map((d, i) => <option key={d.deviceId} value={d.deviceId}>{d.label || `${props.kind === 'audioinput' ? 'Microphone' : 'Speaker'} ${i + 1}`}</option>)}
        </select>
      </label>
      {props.onTest ? <button type="button" onClick={props.onTest}>Play test tone</button> : null}
    </div>
  );
}

/** Settings (issue 16): accounts, audio devices with a test tone, notifications, privacy, appearance. */
export function SettingsScreen(): ReactNode {
  const { devices, problem } = useDevices();
  const [audio, setAudio] = useState<AudioPrefs>(() => loadAudioPrefs());
  const [theme, setTheme] = useState<ThemeChoice>(() => loadTheme());
  const privacy = useApp((s) => s.privacy);
  const [privacyProblem, setPrivacyProblem] = useState<string | null>(null);
  const playing = useRef<PlayingTone | null>(null);
  useEffect(() => () => playing.current?.stop(), []);
  useEffect(() => {
    void loadPrivacySettings().then((r) => !r.ok && setPrivacyProblem(r.error));
  }, []);
  const changeAudio = (next: Partial<AudioPrefs>) => {
    const merged = { ...audio, ...next };
    setAudio(merged);
    saveAudioPrefs(merged);
  };
  const test = (device: string) => {
    playing.current?.stop();
    playing.current = playTone('test', device);
  };
  const changePrivacy = (next: Partial<PrivacySettings>) =>
    void savePrivacySettings({ ...privacy, ...next }).then((r) => setPrivacyProblem(r.ok ? null : r.error));
  return (
    <section className="screen settings" aria-label="Settings">
      <header className="screen-head">
        <h2>Settings</h2>
      </header>
      <section className="settings-section" aria-labelledby="settings-accounts">
        <h3 id="settings-accounts">Accounts</h3>
        <p className="muted">Add, edit or remove the SIP accounts this app registers.</p>
        <button type="button" onClick={() => actions().navigated('accounts')}>Manage accounts</button>
      </section>
      <section className="settings-section" aria-labelledby="settings-audio">
        <h3 id="settings-audio">Audio devices</h3>
        {problem ? <p className="error-text">{problem}</p> : null}
        <DevicePicker label="Microphone" kind="audioinput" devices={devices} value={audio.microphone} onChange={(microphone) => changeAudio({ microphone })} />
        <DevicePicker label="Speaker (calls)" kind="audiooutput" devices={devices} value={audio.speaker} onChange={(speaker) => changeAudio({ speaker })} onTest={() => test(audio.speaker)} />
        <DevicePicker label="Ringer (incoming calls)" kind="audiooutput" devices={devices} value={audio.ringer} onChange={(ringer) => changeAudio({ ringer })} onTest={() => test(audio.ringer)} />
        <p className="muted small">The choice applies from the next call.</p>
      </section>
      <NotificationSettingsSection />
      <section className="settings-section" aria-labelledby="settings-privacy">
        <h3 id="settings-privacy">Privacy</h3>
        <label className="check">
          <input type="checkbox" checked={privacy.sendTyping} onChange={(e) => changePrivacy({ sendTyping: e.target.checked })} />
          Tell people when I am typing
        </label>
        <label className="check">
          <input type="checkbox" checked={privacy.sendReadReceipts} onChange={(e) => changePrivacy({ sendReadReceipts: e.target.checked })} />
          Send read receipts
        </label>
        <label className="field">
          <span className="field-label">Who can see when I am online</span>
          <select value={privacy.sharePresence} onChange={(e) => changePrivacy({ sharePresence: e.target.value === 'nobody' ? 'nobody' : 'contacts' })}>
            <option value="contacts">My contacts</option>
            <option value="nobody">Nobody</option>
          </select>
        </label>
        {privacyProblem ? <p className="error-text" role="alert">{privacyProblem}</p> : null}
        <h4>Who asked to see your status</h4>
        <WatcherDecisions />
      </section>
      <section className="settings-section" aria-labelledby="settings-appearance">
        <h3 id="settings-appearance">Appearance</h3>
        <label className="field">
          <span className="field-label">Theme</span>
          <select
            value={theme}
            onChange={(e) => {
              const v = e.target.value === 'light' || e.target.value === 'dark' ? e.target.value : 'system';
              setTheme(v);
              applyTheme(v);
            }}
          >
            <option value="system">Follow the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <p className="muted small">Text size follows the system and the zoom (Ctrl + and Ctrl −).</p>
      </section>
    </section>
  );
}
