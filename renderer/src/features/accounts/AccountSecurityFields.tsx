import type { ReactNode } from 'react';
import type { AccountDto } from '#shared/domain/account.ts';
import { Field } from '../../components/Field.tsx';
import type { AccountFormErrors, AccountFormValues } from './account-form-model.ts';

/**
 * Issue 10 settings in the advanced part of the account form: the realm the password answers (and extra
 * realms), and the peer-to-peer switch, each with what it means.
 */
export function AccountSecurityFields(props: {
  readonly account: AccountDto | null;
  readonly values: AccountFormValues;
  readonly errors: AccountFormErrors;
  readonly set: <K extends keyof AccountFormValues>(key: K) => (value: AccountFormValues[K]) => void;
}): ReactNode {
  const { account, values, errors, set } = props;
  const learned = account?.learnedRealm ?? null;
  const realmHint =
    values.realm.trim() === ''
      ? learned !== null
        ? `Your password only answers the realm "${learned}", learned from the registrar. Other realms are refused.`
        : 'Leave empty: the realm of the registrar\u2019s first successful sign-in is kept, and your password answers no other.'
      : 'Your password only answers this realm (and the extra ones below); any other server asking for it is refused.';
  return (
    <>
      <Field label="Realm" name="realm" value={values.realm} onChange={set('realm')} error={errors.realm} placeholder={learned ?? 'pbx.example.com'} hint={realmHint} />
      <Field
        label="Extra realms"
        name="extraRealms"
        value={values.extraRealms}
        onChange={set('extraRealms')}
        error={errors.extraRealms}
        hint="Only if your outbound proxy asks for the password under a realm of its own (comma separated)."
      />
      <label className="check">
        <input type="checkbox" checked={values.allowDirect} onChange={(e) => set('allowDirect')(e.target.checked)} aria-describedby="account-allow-direct-hint" />
        Accept calls and messages sent directly to this device (peer to peer)
      </label>
      <small id="account-allow-direct-hint" className="hint">
        Off: only your PBX (registrar or outbound proxy) can reach you, so nobody else on the network can ring you or message you in
        someone else&apos;s name. Turn on only if you receive calls without a PBX.
      </small>
    </>
  );
}
