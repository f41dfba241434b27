/**
 * Per-conversation S/MIME protection (RFC 3428 §11.3): the setting (default / off / sign / sign and
 * encrypt, and "required"), the contact's certificate as a safety number to compare out of band, and the
 * loud changed-certificate state with its accept button. Our own certificate can be created here, and the
 * contact's certificate imported from a PEM file they sent us.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { AccountId, ConversationId } from '#shared/domain/ids.ts';
import type { ConversationProtectionDto, OwnIdentityDto, ProtectionSetting } from '#shared/domain/security.ts';
import {
  acceptChangedCertificate,
  generateIdentity,
  getConversationProtection,
  getIdentity,
  importContactCertificate,
  markCertificateVerified,
  setConversationProtection,
} from '../../bridge/api.ts';

const LABELS: Record<ProtectionSetting | 'default', string> = {
  default: 'Default (sign and encrypt when possible)',
  off: 'Off: send in clear',
  sign: 'Sign',
  'sign+encrypt': 'Sign and encrypt',
};

/** a PEM certificate file is a few kB; anything this big is not one */
const MAX_PEM_BYTES = 50_000;

export function ProtectionPanel(props: { readonly conversationId: ConversationId; readonly accountId: AccountId; readonly peer: string }): ReactNode {
  const { conversationId, accountId, peer: peerAddress } = props;
  const [state, setState] = useState<ConversationProtectionDto | null>(null);
  const [identity, setIdentity] = useState<OwnIdentityDto | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    void Promise.all([getConversationProtection({ conversationId }), getIdentity({ accountId })]).then(([p, me]) => {
      if (!live) return;
      if (p.ok) setState(p.value);
      else setProblem(p.error.message);
      if (me.ok) setIdentity(me.value);
    });
    return () => {
      live = false;
    };
  }, [conversationId, accountId, version]);

  const run = async (action: () => Promise<{ ok: boolean; error?: { message: string } }>) => {
    setBusy(true);
    const r = await action();
    setBusy(false);
    setProblem(r.ok ? null : (r.error?.message ?? 'Something went wrong.'));
    setVersion((v) => v + 1);
  };

  const peer = state?.peerCertificate ?? null;
  return (
    <section className="protection-panel" aria-label="Message protection">
      {identity === null ? (
        <p>
          Messages go out in clear: this account has no certificate.{' '}
          <button type="button" disabled={busy} onClick={() => void run(() => generateIdentity({ accountId, kind: 'rsa-2048' }))}>
            Create my certificate
          </button>
        </p>
      ) : (
        <p className="muted small">
          Your safety number: <span className="safety-number">{identity.certificate.safetyNumber}</span>
        </p>
      )}
      {state ? (
        <>
          <label>
            Protection{' '}
            <select
              aria-label="Protection for this conversation"
              value={state.setting ?? 'default'}
              disabled={busy}
              onChange={(e) => {
                const v = e.target.value;
                const setting = v === 'default' ? null : (v as ProtectionSetting);
                void run(() => setConversationProtection({ conversationId, setting, required: setting === 'off' ? false : state.required }));
              }}
            >
              {(['default', 'off', 'sign', 'sign+encrypt'] as const).map((k) => (
                <option key={k} value={k}>
                  {LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={state.required}
              disabled={busy || state.setting === 'off'}
              onChange={(e) => void run(() => setConversationProtection({ conversationId, setting: state.setting, required: e.target.checked }))}
            />{' '}
            Required: never send in clear, even if the recipient cannot read protected messages
          </label>
          <p className="small" aria-live="polite">
            Next message: <strong>{LABELS[state.effective]}</strong>
            {state.note ? ` — ${state.note}` : ''}
          </p>
        </>
      ) : null}
      {peer ? (
        <div>
          <p className="small">
            Their safety number ({peer.level === 'verified' ? '✓ verified' : 'not verified yet'}):{' '}
            <span className="safety-number" aria-label="Contact safety number">{peer.safetyNumber}</span>
          </p>
          {peer.level !== 'verified' ? (
            <button type="button" disabled={busy} onClick={() => void run(() => markCertificateVerified({ address: peer.address, fingerprint: peer.fingerprint }))}>
              Mark as verified (numbers match)
            </button>
          ) : null}
          {peer.pendingChange ? (
            <div role="alert" className="bubble-protection-warning">
              <p>
                {peer.address} now signs with a NEW certificate. New safety number:{' '}
                <span className="safety-number">{peer.pendingChange.safetyNumber}</span>. Their messages are marked until you accept it.
              </p>
              <button type="button" disabled={busy} onClick={() => void run(() => acceptChangedCertificate({ address: peer.address }))}>
                Accept the new certificate
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
      <label className="button-like">
        {peer ? 'Import their certificate again (PEM)…' : 'Import their certificate (PEM)…'}
        <input
          type="file"
          className="sr-only"
          accept=".pem,.crt,.cer,application/x-pem-file"
          aria-label="Contact certificate file (PEM)"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            if (file.size > MAX_PEM_BYTES) {
              setProblem('That file is too large for a certificate.');
              return;
            }
            // a different certificate than the one we hold becomes a pending change, announced above
            void file.text().then((pem) => run(() => importContactCertificate({ address: peerAddress, pem })));
          }}
        />
      </label>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
    </section>
  );
}
