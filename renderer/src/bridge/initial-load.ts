/** First load of everything main knows, into the store; failures become a plain-words notice. */
import type { IpcError, Result } from '#shared/ipc/result.ts';
import type { AppState } from '../store/types.ts';
import * as api from './api.ts';

export const TRACE_PAGE = 500;

export async function loadInitialState(state: () => AppState): Promise<void> {
  const problems: IpcError[] = [];
  const take = <T>(r: Result<T>, apply: (v: T) => void) => {
    if (r.ok) apply(r.value);
    else problems.push(r.error);
  };
  // events can land while these requests are out: snapshots never overwrite what an event said later
  const mark = state().snapshotMark();
  // the wire trace is not loaded here: the diagnostics view asks for it when it opens (issue 18, watchTrace)
  const [accounts, registrations, contacts, conversations, calls] = await Promise.all([
    api.listAccounts(),
    api.listRegistrations(),
    api.listContacts(),
    api.listConversations(),
    api.listCalls(),
  ]);
  take(accounts, (v) => state().accountsChanged(v));
  take(registrations, (v) => state().registrationsLoaded(v, mark));
  take(contacts, (v) => state().contactsChanged(v));
  take(conversations, (v) => state().conversationsLoaded(v));
  take(calls, (v) => state().callsLoaded(v, mark));
  // connectivity (issue 11): the events keep it current; a host without the channel just shows none
  const connectivity = await api.listConnectivity();
  if (connectivity.ok) for (const c of connectivity.value) state().connectivityChanged(c);
  // presence (RFC 3856) and privacy settings: the app works without them (their events fill them in later)
  const [presence, privacy, watchers, blocked, notifications] = await Promise.all([
    api.getPresence(),
    api.getPrivacy(),
    api.listWatchers(),
    api.listBlocked(),
    api.getNotificationSettings(),
  ]);
  if (watchers.ok && Array.isArray(watchers.value)) state().watchersChanged(watchers.value);
  if (blocked.ok && Array.isArray(blocked.value)) state().blockedChanged(blocked.value);
  if (presence.ok && Array.isArray(presence.value?.peers)) state().presenceLoaded(presence.value);
  if (privacy.ok && typeof privacy.value?.sendTyping === 'boolean') state().privacyChanged(privacy.value);
  if (notifications.ok && typeof notifications.value?.messages === 'boolean') state().notificationsChanged(notifications.value);
  const first = problems[0];
  if (first) state().noticeShown(first.message);
}
