/** The account form's warning that a change of server or user removes the saved password (issue 10). */
import type { AccountDto } from '#shared/domain/account.ts';
import { passwordClearingNotice } from '#shared/domain/account-binding.ts';
import type { AccountFormValues } from './account-form-model.ts';

/** null when nothing bound changed, a new password is typed, or no password is saved */
export function passwordNoticeFor(account: AccountDto | null, v: AccountFormValues): string | null {
  if (account === null || v.password !== '') return null;
  const aor = /^sips?:/.test(v.aor.trim()) ? v.aor.trim() : `sip:${v.aor.trim()}`;
  const user = aor.replace(/^sips?:/, '').split('@')[0] ?? '';
  const portText = v.port.trim();
  return passwordClearingNotice(account, {
    aor,
    authUser: v.authUser.trim() === '' ? user : v.authUser.trim(),
    registrar: v.registrar.trim() === '' ? aor.replace(/^sips?:[^@]*@/, '') : v.registrar.trim(),
    outboundProxy: v.outboundProxy.trim() === '' ? null : v.outboundProxy.trim(),
    transport: v.transport,
    port: /^\d+$/.test(portText) ? Number(portText) : null,
  });
}
