import type { RegistrationState } from '#shared/domain/account.ts';
import { reasonWithCode } from './reason.ts';
import { assertNever } from '#shared/ipc/result.ts';

/** Registration state in plain words, for the sidebar and the account list. */
export function registrationWords(r: RegistrationState | undefined): { readonly text: string; readonly tone: 'ok' | 'pending' | 'bad' | 'off' } {
  if (r === undefined) return { text: 'not registered', tone: 'off' };
  switch (r.state) {
    case 'unregistered':
      return { text: 'not registered', tone: 'off' };
    case 'registering':
      return { text: 'connecting…', tone: 'pending' };
    case 'registered':
      return { text: 'online', tone: 'ok' };
    case 'failed':
      return { text: `failed: ${reasonWithCode(r.reason, r.code)}`, tone: 'bad' };
    default:
      return assertNever(r);
  }
}
