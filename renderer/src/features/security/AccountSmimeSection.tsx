/**
 * End-to-end protection (S/MIME, RFC 3428 §11.3 / RFC 8551) in the account form: the on/off switch, our
 * certificate (created here, or imported from the user's CA as PKCS#12 with a password prompt), its safety
 * number, and the certificate exported as PEM for the user to send to contacts.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { AccountId } from '#shared/domain/ids.ts';
import type { OwnIdentityDto } from '#shared/domain/security.ts';
import { Modal } from '../../components/Modal.tsx';
import { exportCertificate, generateIdentity, getIdentity, importIdentity, setSmimeEnabled } from '../../bridge/api.ts';

/** PKCS#12 files above this are refused before they reach main (the IPC contract allows 200 000 base64 chars) */
const MAX_PKCS12_BYTES = 140_000;

function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function Pkcs12Prompt(props: { readonly fileName: string; readonly busy: boolean; readonly problem: string | null; readonly onImport: (password: string) => void; readonly onClose: () => void }): ReactNode {
  const [password, setPassword] = useState('');
  return (
    <Modal title="Import certificate" onClose={props.onClose}>
      {/* no <form>: this dialog sits inside the account form, and forms do not nest */}
      <div className="form">
        <p>
          Enter the password of <strong>{props.fileName}</strong>.
        </p>
        <div className="field">
          <label htmlFor="pkcs12-password">Password</label>
          <input
            id="pkcs12-password"
            type="password"
            autoFocus
            autoComplete="off"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            onKeyDown={(e) => {
              if (e.key !== 'Enter') return;
              e.preventDefault();
              props.onImport(password);
            }}
          />
        </div>
        {props.problem ? <p className="error-text" role="alert">{props.problem}</p> : null}
        <div className="actions">
          <button type="button" className="primary" disabled={props.busy} onClick={() => props.onImport(password)}>Import</button>
          <button type="button" onClick={props.onClose}>Cancel</button>
        </div>
      </div>
    </Modal>
  );
}

export function AccountSmimeSection({ accountId, aor }: { readonly accountId: AccountId; readonly aor: string }): ReactNode {
  const [identity, setIdentity] = useState<OwnIdentityDto | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [pem, setPem] = useState<string | null>(null);
  const [pending, setPending] = useState<{ name: string; base64: string } | null>(null);
  const [promptProblem, setPromptProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void getIdentity({ accountId }).then((r) => {
      if (!live) return;
      if (r.ok) setIdentity(r.value);
      else setProblem(r.error.message);
      setLoaded(true);
    });
    return () => {
      live = false;
    };
  }, [accountId]);

  const apply = async (action: () => Promise<{ ok: true; value: OwnIdentityDto } | { ok: false; error: { message: string } }>): Promise<boolean> => {
    setBusy(true);
    const r = await action();
    setBusy(false);
    if (r.ok) {
      setIdentity(r.value);
      setPem(null);
      setProblem(null);
      return true;
    }
    setProblem(r.error.message);
    return false;
  };

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_PKCS12_BYTES) {
      setProblem('That file is too large for a PKCS#12 certificate.');
      return;
    }
    setPromptProblem(null);
    setPending({ name: file.name, base64: base64Of(new Uint8Array(await file.arrayBuffer())) });
  };

  const onImport = async (password: string) => {
    if (!pending) return;
    setBusy(true);
    const r = await importIdentity({ accountId, pkcs12Base64: pending.base64, password });
    setBusy(false);
    if (!r.ok) {
      setPromptProblem(r.error.message); // wrong password: the prompt stays open and says so
      return;
    }
    setIdentity(r.value);
    setPem(null);
    setProblem(null);
    setPending(null);
  };

  const onExport = async () => {
    const r = await exportCertificate({ accountId });
    if (r.ok) setPem(r.value.pem);
    else setProblem(r.error.message);
  };

  if (!loaded) return null;
  return (
    <fieldset className="smime-section" aria-label="End-to-end protection (S/MIME)">
      <legend>End-to-end protection (S/MIME)</legend>
      {identity ? (
        <>
          <label className="check">
            <input
              type="checkbox"
              checked={identity.enabled}
              disabled={busy}
              onChange={(e) => void apply(() => setSmimeEnabled({ accountId, enabled: e.target.checked }))}
              aria-describedby="smime-switch-hint"
            />
            Sign my messages, and encrypt them to contacts whose certificate I hold
          </label>
          <small id="smime-switch-hint" className="hint">
            Off: messages go out in clear unless a conversation requires protection (then they are not sent).
          </small>
          <p className="small">
            My safety number: <span className="safety-number" aria-label="My safety number">{identity.certificate.safetyNumber}</span>
          </p>
        </>
      ) : (
        <p className="small">No certificate for {aor} yet: messages go out in clear.</p>
      )}
      <div className="actions">
        {identity ? null : (
          <button type="button" disabled={busy} onClick={() => void apply(() => generateIdentity({ accountId, kind: 'rsa-2048' }))}>
            Create my certificate
          </button>
        )}
        <label className="button-like">
          {identity ? 'Replace with a PKCS#12 file…' : 'Import a PKCS#12 file…'}
          <input
            type="file"
            className="sr-only"
            accept=".p12,.pfx,application/x-pkcs12"
            aria-label="PKCS#12 certificate file"
            disabled={busy}
            onChange={(e) => {
              void onFile(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </label>
        {identity ? (
          <button type="button" disabled={busy} onClick={() => void onExport()}>
            Export my certificate (PEM)
          </button>
        ) : null}
      </div>
      {pem ? (
        <div className="field">
          <label htmlFor="smime-exported-pem">My certificate — send it to your contacts</label>
          <textarea id="smime-exported-pem" readOnly rows={6} value={pem} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => void navigator.clipboard?.writeText(pem)}>Copy</button>
        </div>
      ) : null}
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      {pending ? <Pkcs12Prompt fileName={pending.name} busy={busy} problem={promptProblem} onImport={(pw) => void onImport(pw)} onClose={() => setPending(null)} /> : null}
    </fieldset>
  );
}
