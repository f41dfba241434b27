/** Tray tooltip and badge text for an unread count (pure, tested). */
export function unreadLabel(count: number): { tooltip: string; badge: string } {
  if (count <= 0) return { tooltip: 'SIP Messenger', badge: '' };
  return {
    tooltip: `SIP Messenger — ${count} unread message${count === 1 ? '' : 's'}`,
    badge: count > 99 ? '99+' : String(count),
  };
}
