/** Dates and times for people, in the user's locale. */
export function timeOfDay(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function dayKey(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** "Today", "Yesterday" or the date */
export function dayLabel(at: number, now: number = Date.now()): string {
  if (dayKey(at) === dayKey(now)) return 'Today';
  if (dayKey(at) === dayKey(now - 86_400_000)) return 'Yesterday';
  return new Date(at).toLocaleDateString(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' });
}

/** time in the conversation list: the time today, else the date */
export function shortWhen(at: number, now: number = Date.now()): string {
  if (dayKey(at) === dayKey(now)) return timeOfDay(at);
  return new Date(at).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** call timer mm:ss or h:mm:ss */
export function duration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
