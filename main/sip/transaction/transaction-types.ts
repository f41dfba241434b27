import type { InviteServerTransaction } from './invite-server-transaction.ts';
import type { NonInviteServerTransaction } from './non-invite-server-transaction.ts';
import type { InviteClientTransaction } from './invite-client-transaction.ts';
import type { NonInviteClientTransaction } from './non-invite-client-transaction.ts';

export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;
export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
