import type { ReactNode } from 'react';
import { useCallAudio } from '../../audio/useCallAudio.ts';
import { useCallTones } from '../../audio/useCallTones.ts';
import { useApp } from '../../store/use-app.ts';

/**
 * The microphone and the far end of the active call (main decides: one call in focus, issue 13), mounted
 * once in the shell so the audio keeps going while the user looks at another screen (issue 6). Renders
 * nothing.
 */
export function LiveCallAudio(): ReactNode {
  const liveCallId = useApp((s) => s.calls.ids.find((id) => {
    const call = s.calls.byId[id];
    return call !== undefined && call.active && call.state !== 'ended' && call.connectedAt !== null;
  }) ?? null);
  useCallAudio(liveCallId ?? '', liveCallId !== null);
  useCallTones();
  return null;
}
