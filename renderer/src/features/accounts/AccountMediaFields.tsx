import type { ReactNode } from 'react';
import type { SrtpSetting } from '#shared/domain/account.ts';
import { effectiveSrtp, type AccountFormErrors, type AccountFormValues } from './account-form-model.ts';

const WORDS: Record<SrtpSetting, string> = {
  off: 'calls use unencrypted audio',
  offered: 'audio is encrypted when the other side supports it, unencrypted otherwise',
  required: 'audio is always encrypted; a call the other side cannot encrypt does not connect',
};

/**
 * Encrypted audio (SRTP, issue 13): off / offered / required, and the consent to send the keys over UDP or
 * TCP. SDES keys (RFC 4568) travel inside the call setup; only TLS hides them from the network (§8.3), so
 * the form says what each choice really does on the chosen transport.
 */
export function AccountMediaFields(props: {
  readonly values: AccountFormValues;
  readonly errors: AccountFormErrors;
  readonly set: <K extends keyof AccountFormValues>(key: K) => (value: AccountFormValues[K]) => void;
}): ReactNode {
  const { values, errors, set } = props;
  const insecure = values.transport !== 'tls';
  const effective = effectiveSrtp(values);
  const wanted = values.srtp ?? (insecure ? 'offered' : 'required');
  const summary =
    insecure && !values.srtpOverInsecure && wanted !== 'off'
      ? 'On UDP or TCP the keys would travel readable to anyone on the network, so calls stay unencrypted unless you allow that below. TLS is the safe way to encrypted calls.'
      : `With these settings ${WORDS[effective]}.`;
  return (
    <fieldset className="field">
      <legend>Encrypted audio (SRTP)</legend>
      <select
        id="account-srtp"
        aria-label="Encrypted audio (SRTP)"
        value={values.srtp ?? 'default'}
        onChange={(e) => set('srtp')(e.target.value === 'default' ? null : (e.target.value as SrtpSetting))}
        aria-invalid={errors.srtp ? true : undefined}
        aria-describedby={`account-srtp-summary${errors.srtp ? ' account-srtp-error' : ''}`}
      >
        <option value="default">Default (required on TLS, offered otherwise)</option>
        <option value="off">Off</option>
        <option value="offered">Offered</option>
        <option value="required">Required</option>
      </select>
      {insecure ? (
        <label className="check">
          <input type="checkbox" checked={values.srtpOverInsecure} onChange={(e) => set('srtpOverInsecure')(e.target.checked)} aria-describedby="account-srtp-insecure-hint" />
          Allow encryption keys over {values.transport.toUpperCase()}
        </label>
      ) : null}
      {insecure ? (
        <small id="account-srtp-insecure-hint" className="hint">
          The keys are sent inside the call setup. Over UDP or TCP that is plain text: anyone who can see your network traffic can read them and
          listen to the call. It only hides the audio from someone who sees the audio packets but not the call setup; only TLS keeps the keys secret.
        </small>
      ) : null}
      <small id="account-srtp-summary" className="hint" role="status">{summary}</small>
      {errors.srtp ? <small id="account-srtp-error" className="error-text" role="alert">{errors.srtp}</small> : null}
    </fieldset>
  );
}
