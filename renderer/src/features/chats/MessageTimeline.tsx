import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { ConversationId, MessageId } from '#shared/domain/ids.ts';
import { MessageBubble } from '../../components/MessageBubble.tsx';
import { VirtualList } from '../../components/VirtualList.tsx';
import { useApp } from '../../store/use-app.ts';
import { deleteMessage, loadOlderPage, retryMessage } from './commands.ts';
import { estimateRowHeight, timelineRows, type TimelineRow } from './timeline-rows.ts';

const keyOf = (row: TimelineRow) => row.key;

/** The loaded history of one conversation, virtualized; older pages load when scrolled near the top. */
export function MessageTimeline({ conversationId }: { readonly conversationId: ConversationId }): ReactNode {
  const timeline = useApp((s) => s.timelines[conversationId]);
  const messages = useApp((s) => s.messages);
  const [problem, setProblem] = useState<string | null>(null);
  const rows = useMemo(() => (timeline ? timelineRows(timeline.ids, messages) : []), [timeline, messages]);
  const onNearStart = useCallback(() => {
    void loadOlderPage(conversationId).then((r) => !r.ok && setProblem(r.error));
  }, [conversationId]);
  const onRetry = useCallback((m: MessageDto) => void retryMessage(m.id as MessageId).then((r) => setProblem(r.ok ? null : r.error)), []);
  const onDelete = useCallback(
    (m: MessageDto) => void deleteMessage(m.id as MessageId, m.conversationId).then((r) => setProblem(r.ok ? null : r.error)),
    [],
  );
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
        <MessageBubble message={row.message} onRetry={onRetry} onDelete={onDelete} onCopy={onCopy} />
      </>
    ),
    [onRetry, onDelete, onCopy],
  );
  return (
    <>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      {timeline && timeline.ids.length === 0 ? <p className="muted center">No messages yet. Say hello below.</p> : null}
      <VirtualList
        items={rows}
        getKey={keyOf}
        estimateHeight={estimateRowHeight}
        renderItem={render}
        stickToBottom
        onNearStart={onNearStart}
        label="Messages"
        className="timeline"
      />
    </>
  );
}
