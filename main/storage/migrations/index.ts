/** Every schema migration in order; append new ones, never edit a released one. */
import type { Migration } from '../migrator.ts';
import { m0001AccountsContacts } from './0001-accounts-contacts.ts';
import { m0002ConversationsMessages } from './0002-conversations-messages.ts';
import { m0003MessageSearch } from './0003-message-search.ts';
import { m0004OutgoingWireIds } from './0004-outgoing-wire-ids.ts';
import { m0005Smime } from './0005-smime.ts';
import { m0006IncomingReplayWindow } from './0006-incoming-replay-window.ts';
import { m0007ReceiptsSettings } from './0007-receipts-settings.ts';
import { m0008AccountRealms } from './0008-account-realms.ts';
import { m0009AccountSrtp } from './0009-account-srtp.ts';
import { m0010BlockedAddresses } from './0010-blocked-addresses.ts';
import { m0011CallHistory } from './0011-call-history.ts';
import { m0012SearchIndexByRepository } from './0012-search-index-by-repository.ts';
import { m0013ReplayWindowOnDelete } from './0013-replay-window-on-delete.ts';
import { m0014SearchWithoutColumnSizes } from './0014-search-without-column-sizes.ts';

export const migrations: readonly Migration[] = [
  m0001AccountsContacts,
  m0002ConversationsMessages,
  m0003MessageSearch,
  m0004OutgoingWireIds,
  m0005Smime,
  m0006IncomingReplayWindow,
  m0007ReceiptsSettings,
  m0008AccountRealms,
  m0009AccountSrtp,
  m0010BlockedAddresses,
  m0011CallHistory,
  m0012SearchIndexByRepository,
  m0013ReplayWindowOnDelete,
  m0014SearchWithoutColumnSizes,
];
