import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { ConversationId } from '#shared/domain/ids.ts';
import { Avatar } from '../../components/Avatar.tsx';
import { peerName, sameAddress, shortAddress } from '../../lib/names.ts';
import { listOf } from '../../store/normalized.ts';
import { actions, appStore } from '../../store/store.ts';
import { conversationName } from '../chats/conversation-model.ts';
import { startChat } from '../contacts/commands.ts';

interface Choice {
  readonly key: string;
  readonly name: string;
  readonly address: string;
  readonly open: () => void;
}

/** every conversation (most recent first), then contacts without one */
function choices(): Choice[] {
  const s = appStore.getState();
  const out: Choice[] = [];
  for (const c of listOf(s.conversations)) {
    out.push({ key: c.id, name: conversationName(s, c.id), address: c.peer, open: () => actions().conversationOpened(c.id as ConversationId) });
  }
  for (const k of listOf(s.contacts)) {
    if (out.some((c) => sameAddress(c.address, k.address))) continue;
    out.push({ key: k.id, name: peerName(s.contacts.byId, k.address), address: k.address, open: () => void startChat(k.address) });
  }
  return out;
}

/** Ctrl+K (issue 16 item 10): type part of a name or address, ↑/↓ to choose, Enter to open, Esc to close. */
export function QuickSwitcher(): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const listId = useId();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const all = useMemo(() => choices(), []);
  const q = query.trim().toLowerCase();
  const shown = (q === '' ? all : all.filter((c) => c.name.toLowerCase().includes(q) || shortAddress(c.address).toLowerCase().includes(q))).slice(0, 50);
  const index = Math.min(active, Math.max(0, shown.length - 1));
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const close = () => actions().quickSwitcherToggled(false);
  const choose = (c: Choice | undefined) => {
    if (!c) return;
    close();
    c.open();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, shown.length - 1));
    else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
    else if (e.key === 'Enter') choose(shown[index]);
    else return;
    e.preventDefault();
  };
  return (
    <dialog ref={ref} className="modal quick-switcher" aria-label="Go to conversation" onCancel={(e) => { e.preventDefault(); close(); }}>
      <input
        type="text"
        role="combobox"
        aria-label="Go to conversation"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={shown[index] ? `${listId}-${index}` : undefined}
        placeholder="Name or address"
        autoFocus
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" aria-label="Conversations and contacts" className="switcher-list">
        {shown.map((c, i) => (
          <li key={c.key} id={`${listId}-${i}`} role="option" aria-selected={i === index} className={i === index ? 'selected' : ''} onMouseDown={(e) => { e.preventDefault(); choose(c); }}>
            <Avatar name={c.name} size="small" />
            <span>{c.name}</span>
            <span className="muted small">{shortAddress(c.address)}</span>
          </li>
        ))}
        {shown.length === 0 ? <li className="muted" role="presentation">Nobody matches “{query}”.</li> : null}
      </ul>
      <p className="muted small">↑ ↓ to choose · Enter to open · Esc to close</p>
    </dialog>
  );
}
