/**
 * "Send a test message to myself" (diagnostics): a MESSAGE to the account's own address through the PBX,
 * with the outcome explained in plain words. It is not stored in any conversation.
 */
import type { AccountId } from '#shared/domain/ids.ts';
import type { SelfTestResult } from '#shared/domain/trace.ts';
import { describeStatus } from './chats/outcome.ts';
import type { IncomingPagerMessage, PagerSender } from './chats/pager.ts';

export const SELF_TEST_BODY = 'SIP Messenger self test: if you can read this, messaging through your PBX works.';

export async function sendSelfTest(
  sender: PagerSender,
  account: { readonly id: AccountId; readonly aor: string },
  now: () => number = Date.now,
): Promise<SelfTestResult> {
  const outcome = await sender.send({
    accountId: account.id,
    target: account.aor,
    body: Buffer.from(SELF_TEST_BODY, 'utf8'),
    contentType: 'text/plain;charset=UTF-8',
    expiresSeconds: 60,
    date: new Date(now()),
    dialog: null,
  });
  switch (outcome.kind) {
    case 'not-registered':
      return { ok: false, code: null, explanation: 'The account is not registered, so nothing was sent. Check its registration state first.' };
    case 'auth-refused':
      return { ok: false, code: outcome.status, explanation: `Not sent: ${outcome.reason}. The password only answers the account's own realm.` };
    case 'timeout':
      return { ok: false, code: null, explanation: 'The PBX did not answer in time (timeout). It may be unreachable, or it drops MESSAGE requests.' };
    case 'transport-error':
      return { ok: false, code: null, explanation: `The message could not be sent: ${outcome.reason}.` };
    case 'response': {
      const s = outcome.status;
      if (s === 202) {
        return { ok: true, code: s, explanation: 'The PBX accepted the message for later delivery (202): it stores messages, but did not hand it to a device of yours right away.' };
      }
      if (s >= 200 && s < 300) {
        return { ok: true, code: s, explanation: `Your PBX routed the message back to this device (${s}): sending and receiving messages works.` };
      }
      const hint =
        s === 404 || s === 405 || s === 501
          ? ' The PBX does not route SIP MESSAGE for this account; see "Setting up your PBX" in the README.'
          : s === 401 || s === 403 || s === 407
            ? ' The PBX refused our credentials for messages.'
            : '';
      return { ok: false, code: s, explanation: `The PBX answered: ${describeStatus(s, outcome.reason)}.${hint}` };
    }
  }
}

/** The self test's MESSAGE arriving back at the same account (it is answered 200 and not stored). */
export function isSelfTestEcho(message: IncomingPagerMessage, ownAor: string): boolean {
  const user = (aor: string) => aor.replace(/^sips?:/i, '').split(';')[0]?.toLowerCase();
  return user(message.from) === user(ownAor) && message.body.toString('utf8') === SELF_TEST_BODY;
}
