import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { ConversationId, MessageId } from '#shared/domain/ids.ts';
import { MessageBubble } from '../../components/MessageBubble.tsx';
import { VirtualList } from '../../components/VirtualList.tsx';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../store/use-app.ts';
import { CallRow } from './CallRow.tsx';
import { scheduleDelete } from '../undo/pending-deletes.ts';
import { useHidden } from '../undo/usePending.ts';
import { callsOfConversation, conversationName } from './conversation-model.ts';
import { cancelMessage, deleteMessage, loadOlderPage, retryMessage, sendNow } from './commands.ts';
import { estimateRowHeight, rowKeyOf, timelineRows, type TimelineRow } from './timeline-rows.ts';

const keyOf = (row: TimelineRow) => row.key;

/** The loaded history of one conversation, virtualized; older pages load when scrolled near the top. */
export function MessageTimeline({ conversationId }: { readonly conversationId: ConversationId }): ReactNode {
  const timeline = useApp((s) => s.timelines[conversationId]);
  const messages = useApp((s) => s.messages);
  const [problem, setProblem] = useState<string | null>(null);
  const calls = useApp(useShallow((s) => callsOfConversation(s, conversationId)));
  const name = useApp((s) => conversationName(s, conversationId));
  const hidden = useHidden('message');
  const rows = useMemo(() => {
    if (!timeline) return [];
    const ids = hidden.size === 0 ? timeline.ids : timeline.ids.filter((id) => !hidden.has(id));
    return timelineRows(ids, messages, calls, timeline.nextCursor === null);
  }, [timeline, messages, calls, hidden]);
  // a search hit: page back until the message is loaded (bounded), then scroll to it and mark the words
  const jump = useApp((s) => (s.jump !== null && s.jump.conversationId === conversationId ? s.jump : null));
  const jumpLoaded = jump !== null && timeline !== undefined && timeline.ids.includes(jump.messageId);
  useEffect(() => {
    if (jump === null || timeline === undefined || jumpLoaded || timeline.nextCursor === null) return;
    // next task: the store update of the page before re-runs this effect while that load is still in flight
    const t = window.setTimeout(() => void loadOlderPage(conversationId).then((r) => !r.ok && setProblem(r.error)), 0);
    return () => window.clearTimeout(t);
  }, [jump, jumpLoaded, timeline, conversationId]);
  const onNearStart = useCallback(() => {
    void loadOlderPage(conversationId).then((r) => !r.ok && setProblem(r.error));
  }, [conversationId]);
  const onRetry = useCallback((m: MessageDto) => void retryMessage(m.id as MessageId).then((r) => setProblem(r.ok ? null : r.error)), []);
  // a failed message's Delete: gone at once, with Undo for a few seconds (issue 16 item 12)
  const onDelete = useCallback(
    (m: MessageDto) =>
      void scheduleDelete({ kind: 'message', id: m.id, label: 'Message deleted' }, () => deleteMessage(m.id as MessageId, m.conversationId)),
    [],
  );
  const onSendNow = useCallback((m: MessageDto) => void sendNow(m.id as MessageId).then((r) => setProblem(r.ok ? null : r.error)), []);
  const onCancel = useCallback((m: MessageDto) => void cancelMessage(m.id as MessageId).then((r) => setProblem(r.ok ? null : r.error)), []);
  const onCopy = useCallback((m: MessageDto) => {
    void navigator.clipboard?.writeText(m.body).catch(() => setProblem('Could not copy to the clipboard.'));
  }, []);
  const render = useCallback(
    (row: TimelineRow) => (
      <>
        {row.day !== null ? (
          <div className="day-separator" role="separator" aria-label={row.day}>
            <span>{row.day}</span>
          </div>
        ) : null}
        {row.kind === 'call' ? (
          <CallRow call={row.call} messagesInCall={row.messagesInCall} name={name} />
        ) : (
          <MessageBubble
            message={row.message}
            inCall={row.inCall}
            parts={row.partIds?.length}
            highlight={jump !== null && (jump.messageId === row.message.id || row.partIds?.includes(jump.messageId) === true) ? jump.query : undefined}
            onRetry={onRetry}
            onDelete={onDelete}
            onCopy={onCopy}
            onSendNow={onSendNow}
            onCancel={onCancel}
          />
        )}
      </>
    ),
    [onRetry, onDelete, onCopy, onSendNow, onCancel, name, jump],
  );
  return (
    <>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      {timeline && timeline.ids.every((id) => hidden.has(id)) ? <p className="muted center">No messages yet. Say hello below.</p> : null}
      <VirtualList
        items={rows}
        getKey={keyOf}
        estimateHeight={estimateRowHeight}
        renderItem={render}
        stickToBottom
        onNearStart={jump !== null && !jumpLoaded ? undefined : onNearStart}
        scrollToKey={jumpLoaded ? rowKeyOf(rows, jump.messageId) : null}
        label="Messages"
        className="timeline"
      />
    </>
  );
}
