import type { ReactNode } from 'react';

export const DIAL_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/** The 12-key pad (calls and in-call DTMF). */
export function DialPad({ onKey, label }: { readonly onKey: (key: string) => void; readonly label: string }): ReactNode {
  return (
    <div className="dial-pad" role="group" aria-label={label}>
      {DIAL_KEYS.map((k) => (
        <button key={k} type="button" className="dial-key" aria-label={`Key ${k}`} onClick={() => onKey(k)}>
          {k}
        </button>
      ))}
    </div>
  );
}
