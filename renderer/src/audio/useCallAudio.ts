/**
 * Runs a call's audio while `active` (the call is connected or held): opens its AudioLink and the audio
 * engine, and stops both when the call ends or the screen goes away. Failures never throw into React:
 * they come back as the status.
 */
import { useEffect, useState } from 'react';
import { openAudioLink } from './audio-link.ts';
import { startCallAudio, type CallAudioState } from './call-audio-engine.ts';
// installs the app's MessagePort listener as soon as the call screen's module loads (ports may come early)
import './port-link.ts';

export type CallAudioStatus = { readonly state: 'off' | 'starting' | CallAudioState } | { readonly state: 'failed'; readonly problem: string };

const OFF: CallAudioStatus = { state: 'off' };
const STARTING: CallAudioStatus = { state: 'starting' };

export function useCallAudio(callId: string, active: boolean): CallAudioStatus {
  const [result, setResult] = useState<{ readonly callId: string; readonly status: CallAudioStatus } | null>(null);
  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    let stop: (() => void) | null = null;
    const link = openAudioLink(callId);
    startCallAudio(link).then(
      (running) => {
        if (cancelled) return running.stop();
        stop = running.stop;
        setResult({ callId, status: { state: running.state } });
      },
      (e: unknown) => {
        if (!cancelled) setResult({ callId, status: { state: 'failed', problem: e instanceof Error ? e.message : String(e) } });
      },
    );
    return () => {
      cancelled = true;
      stop?.();
      link.close();
    };
  }, [callId, active]);
  if (!active) return OFF;
  return result?.callId === callId ? result.status : STARTING;
}
