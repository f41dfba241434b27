/**
 * Call history (issue 16): ended calls as CallDto, newest first. A call is saved once, when it ends;
 * the table is bounded to the newest CALL_HISTORY_LIMIT calls (older ones are deleted on each save), so
 * a flood of calls (a hostile peer ringing all night) costs at most that many rows.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { CallDto } from '#shared/domain/call.ts';
import type { AccountId, CallId } from '#shared/domain/ids.ts';
import { bool, int, intOrNull, text, textOrNull, type Row } from './row.ts';

/** the newest calls kept in the history (a phone's call log keeps a few hundred to a thousand) */
export const CALL_HISTORY_LIMIT = 1000;

/** an incoming call nobody answered that the user did not decline: shown as "Missed call" */
export function isMissed(call: CallDto): boolean {
  return call.direction === 'in' && call.connectedAt === null && !/^declined/.test(call.endReason ?? '');
}

function callFromRow(row: Row): CallDto {
  const direction = text(row, 'direction');
  return {
    id: text(row, 'id') as CallId,
    accountId: text(row, 'account_id') as AccountId,
    direction: direction === 'in' ? 'in' : 'out',
    peer: text(row, 'peer'),
    peerName: text(row, 'peer_name'),
    state: 'ended',
    muted: false,
    onHold: false,
    remoteHold: false,
    waiting: false,
    active: false,
    encrypted: bool(row, 'encrypted'),
    codec: textOrNull(row, 'codec'),
    wideband: bool(row, 'wideband'),
    dtmfReceived: '',
    startedAt: int(row, 'started_at'),
    connectedAt: intOrNull(row, 'connected_at'),
    endedAt: int(row, 'ended_at'),
    endReason: textOrNull(row, 'end_reason'),
  };
}

export class CallRepository {
  readonly #list: StatementSync;
  readonly #save: StatementSync;
  readonly #trim: StatementSync;

  constructor(db: DatabaseSync) {
    this.#list = db.prepare('SELECT * FROM calls ORDER BY started_at DESC, id LIMIT ?');
    this.#save = db.prepare(`INSERT INTO calls (id, account_id, direction, peer, peer_name, started_at, connected_at,
        ended_at, end_reason, missed, encrypted, codec, wideband) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO NOTHING`);
    this.#trim = db.prepare(`DELETE FROM calls WHERE id NOT IN
      (SELECT id FROM calls ORDER BY started_at DESC, id LIMIT ?)`);
  }

  /** the newest `limit` ended calls, newest first */
  list(limit: number = CALL_HISTORY_LIMIT): CallDto[] {
    return this.#list.all(Math.max(0, Math.min(limit, CALL_HISTORY_LIMIT))).map(callFromRow);
  }

  /** saves an ended call (a second save of the same id is ignored) and trims the history; false when not new */
  save(call: CallDto, limit: number = CALL_HISTORY_LIMIT): boolean {
    const c = call;
    const added = Number(
      this.#save.run(c.id, c.accountId, c.direction, c.peer, c.peerName, c.startedAt, c.connectedAt, c.endedAt ?? c.startedAt,
        c.endReason, isMissed(c) ? 1 : 0, c.encrypted ? 1 : 0, c.codec, c.wideband ? 1 : 0).changes,
    ) > 0;
    if (added) this.#trim.run(Math.max(1, Math.min(limit, CALL_HISTORY_LIMIT)));
    return added;
  }
}
