/**
 * "Test registration" from the account form: one REGISTER with the entered settings, then unregister,
 * on a throwaway stack. The result is in plain words (RegistrationTestResult).
 */
import type { RegistrationTestResult } from '#shared/domain/account.ts';
import type { WireTraceEvent } from '../sip/transport/index.ts';
import type { RegistrationStatus } from '../sip/ua/index.ts';
import { createAccountStack, type StackAccount, type StackTuning } from './sip-stack-account.ts';

export async function testRegistration(
  account: StackAccount,
  password: string | null,
  tuning: StackTuning,
  onTrace: (event: WireTraceEvent) => void = () => undefined,
): Promise<RegistrationTestResult> {
  if (password === null || password === '') return { ok: false, code: null, summary: 'no password set' };
  let stack;
  try {
    stack = await createAccountStack(account, password, { ...tuning, backoff: { initialMs: 3_600_000 } }, onTrace);
  } catch (err) {
    return { ok: false, code: null, summary: `cannot start: ${err instanceof Error ? err.message : String(err)}` };
  }
  try {
    const outcome = await new Promise<RegistrationStatus>((resolve) => {
      const off = stack.registration.onStatus((s) => {
        if (s.state === 'registered' || s.state === 'failed') {
          off();
          resolve(s);
        }
      });
      stack.registration.start();
    });
    if (outcome.state === 'registered') return { ok: true, code: 200, summary: 'registered' };
    if (outcome.state === 'failed') return { ok: false, code: outcome.code, summary: outcome.reason };
    return { ok: false, code: null, summary: outcome.state };
  } finally {
    await stack.close();
  }
}
