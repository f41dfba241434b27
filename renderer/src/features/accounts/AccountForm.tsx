import { useState, type FormEvent, type ReactNode } from 'react';
import type { AccountDto, AccountInput, PasswordStorage, RegistrationTestResult, TransportKind } from '#shared/domain/account.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Field } from '../../components/Field.tsx';
import { emptyAccountForm, formFromAccount, validateAccountForm, type AccountFormErrors, type AccountFormValues } from './account-form-model.ts';
import { AccountMediaFields } from './AccountMediaFields.tsx';
import { AccountSecurityFields } from './AccountSecurityFields.tsx';
import { AccountSmimeSection } from '../security/AccountSmimeSection.tsx';
import { passwordNoticeFor } from './password-notice.ts';
import { removeAccount, saveAccount, testRegistration, type SecretProblem } from './commands.ts';

export interface AccountFormProps {
  readonly account: AccountDto | null;
  readonly onDone: () => void;
}

/** Add / edit / remove one account, with client-side validation and a registration test. */
export function AccountForm({ account, onDone }: AccountFormProps): ReactNode {
  const [values, setValues] = useState<AccountFormValues>(account ? formFromAccount(account) : emptyAccountForm);
  const [errors, setErrors] = useState<AccountFormErrors>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [testResult, setTestResult] = useState<RegistrationTestResult | null>(null);
  // no OS keyring: the user decides where the password goes (never silently)
  const [secretProblem, setSecretProblem] = useState<SecretProblem | null>(null);
  // rarely needed settings stay folded for a new user, and open when one is set or has an error
  const [advancedOpen, setAdvancedOpen] = useState(
    account !== null && (account.authUser !== account.aor.replace(/^sips?:/, '').split('@')[0] || account.cpim || account.pinnedCertificate !== null || account.realm !== null || account.allowDirect),
  );
  const editing = account ? { id: account.id, hasPassword: account.hasPassword } : null;
  const set = <K extends keyof AccountFormValues>(key: K) => (value: AccountFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const checked = () => {
    const r = validateAccountForm(values, editing);
    setErrors(r.errors);
    if (r.errors.pinnedCertificate || r.errors.realm || r.errors.extraRealms) setAdvancedOpen(true);
    return r.input;
  };
  const save = async (input: AccountInput) => {
    setBusy(true);
    setProblem(null);
    setSecretProblem(null);
    const r = await saveAccount(input);
    setBusy(false);
    if (r.ok) return onDone();
    setProblem(r.error);
    setSecretProblem(r.secretProblem);
  };
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const input = checked();
    if (input) await save(input);
  };
  const saveWith = (passwordStorage: PasswordStorage) => () => {
    const input = checked();
    if (input) void save({ ...input, passwordStorage });
  };
  const onTest = async () => {
    const input = checked();
    if (!input) return;
    setBusy(true);
    setProblem(null);
    setTestResult(null);
    const r = await testRegistration(input);
    setBusy(false);
    if (r.ok) setTestResult(r.value);
    else setProblem(r.error);
  };
  const [confirmRemove, setConfirmRemove] = useState(false);
  const onRemove = async () => {
    if (!account) return;
    setConfirmRemove(false);
    setBusy(true);
    const r = await removeAccount(account.id);
    setBusy(false);
    if (r.ok) onDone();
    else setProblem(r.error);
  };

  return (
    <form className="form account-form" aria-label={account ? 'Edit account' : 'Add account'} onSubmit={onSubmit} noValidate>
      <h2>{account ? 'Edit account' : 'Add your PBX account'}</h2>
      <Field label="SIP address" name="aor" value={values.aor} onChange={set('aor')} error={errors.aor} placeholder="sip:alice@pbx.example.com" autoFocus />
      <Field label="Display name" name="displayName" value={values.displayName} onChange={set('displayName')} placeholder="Alice Example" />
      <Field
        label="Password"
        name="password"
        type="password"
        value={values.password}
        onChange={set('password')}
        error={errors.password}
        hint={account?.hasPassword ? 'Leave empty to keep the saved password.' : undefined}
      />
      {passwordNoticeFor(account, values) ? <p className="hint" role="status">{passwordNoticeFor(account, values)}</p> : null}
      <Field label="Registrar / domain" name="registrar" value={values.registrar} onChange={set('registrar')} error={errors.registrar} placeholder="pbx.example.com" hint="Leave empty to use the domain of the SIP address." />
      <Field label="Outbound proxy" name="outboundProxy" value={values.outboundProxy} onChange={set('outboundProxy')} error={errors.outboundProxy} placeholder="sip:proxy.example.com;transport=tcp" />
      <div className="field-row">
        <div className="field">
          <label htmlFor="account-transport">Transport</label>
          <select id="account-transport" value={values.transport} onChange={(e) => set('transport')(e.target.value as TransportKind)}>
            <option value="udp">UDP</option>
            <option value="tcp">TCP</option>
            <option value="tls">TLS</option>
          </select>
        </div>
        <Field label="Port" name="port" value={values.port} onChange={set('port')} error={errors.port} placeholder={values.transport === 'tls' ? '5061' : '5060'} />
      </div>
      <AccountMediaFields values={values} errors={errors} set={set} />
      <label className="check">
        <input type="checkbox" checked={values.enabled} onChange={(e) => set('enabled')(e.target.checked)} />
        Account enabled (register and receive messages)
      </label>
      <details className="advanced" open={advancedOpen} onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}>
        <summary>Advanced settings</summary>
        <Field label="Authentication user" name="authUser" value={values.authUser} onChange={set('authUser')} hint="Leave empty when it is the user part of the SIP address." />
        <label className="check">
          <input type="checkbox" checked={values.cpim} onChange={(e) => set('cpim')(e.target.checked)} />
          Send messages wrapped in CPIM (message/cpim)
        </label>
        <Field
          label="Pinned TLS certificate (PEM)"
          name="pinnedCertificate"
          multiline
          value={values.pinnedCertificate}
          onChange={set('pinnedCertificate')}
          error={errors.pinnedCertificate}
          hint="Only for TLS with a certificate your system does not trust."
        />
        <AccountSecurityFields account={account} values={values} errors={errors} set={set} />
      </details>
      {account ? <AccountSmimeSection accountId={account.id} aor={account.aor} /> : null}
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      {secretProblem ? (
        <div className="actions" role="group" aria-label="Where to keep the password">
          <button type="button" disabled={busy} onClick={saveWith('session')}>Keep the password for this session only</button>
          {secretProblem === 'secret-store-obscured' ? (
            <button type="button" disabled={busy} onClick={saveWith('obscured')}>Store it anyway (only obscured)</button>
          ) : null}
        </div>
      ) : null}
      {testResult ? (
        <p className={testResult.ok ? 'ok-text' : 'error-text'} role="status">
          Registration test: {testResult.summary}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>Save</button>
        <button type="button" disabled={busy} onClick={onTest}>Test registration</button>
        <button type="button" onClick={onDone}>Cancel</button>
        {account ? (
          <button type="button" className="danger" disabled={busy} onClick={() => setConfirmRemove(true)} aria-label={`Remove account ${account.aor}`}>
            Remove account
          </button>
        ) : null}
      </div>
      {account && confirmRemove ? (
        <ConfirmDialog title={`Remove the account ${account.aor}?`} confirm="Remove account" onCancel={() => setConfirmRemove(false)} onConfirm={() => void onRemove()}>
          <p>The app stops registering it and forgets its password. Its conversations and their messages are deleted with it.</p>
        </ConfirmDialog>
      ) : null}
    </form>
  );
}
