import { afterEach, describe, expect, it } from 'vitest';
import type { CallDto } from '#shared/domain/call.ts';
import type { AccountId, CallId } from '#shared/domain/ids.ts';
import { openDatabase } from '../../../main/storage/database.ts';
import { migrate, schemaVersion } from '../../../main/storage/migrator.ts';
import { migrations } from '../../../main/storage/migrations/index.ts';
import { CALL_HISTORY_LIMIT, CallRepository, isMissed } from '../../../main/storage/call-repository.ts';
import { tempDir } from './fixtures.ts';

function ended(id: string, over: Partial<CallDto> = {}): CallDto {
  return {
    id: id as CallId, accountId: 'acc-alice' as AccountId, direction: 'out', peer: 'sip:bob@example.test', peerName: 'Bob',
    state: 'ended', muted: false, onHold: false, remoteHold: false, waiting: false, active: false, encrypted: true,
    codec: 'G.722', wideband: true, dtmfReceived: '', startedAt: 1_000, connectedAt: 2_000, endedAt: 5_000, endReason: 'hung up',
    ...over,
  };
}

describe('migration 0011-call-history and CallRepository (issue 16)', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('applies on schema 10, keeps what the UI shows of an ended call, and reopens without re-running', () => {
    const path = tmp.file('a.db');
    openDatabase(path, migrations.slice(0, 10)).close();
    const db = openDatabase(path, migrations.slice(0, 11));
    expect(schemaVersion(db)).toBe(11);
    const repo = new CallRepository(db);
    const call = ended('c1');
    expect(repo.save(call)).toBe(true);
    // a second save of the same call (one write per call) changes nothing
    expect(repo.save({ ...call, endReason: 'other' })).toBe(false);
    db.close();
    const again = openDatabase(path, migrations);
    expect(migrate(again, migrations)).toEqual([]);
    expect(new CallRepository(again).list()).toEqual([call]);
    expect(() => again.exec(`UPDATE calls SET direction = 'sideways'`)).toThrow();
    again.close();
  });

  it('lists newest first (ties by id) and stores the missed flag for unanswered incoming calls only', () => {
    const db = openDatabase(':memory:', migrations);
    const repo = new CallRepository(db);
    const missed = ended('m', { direction: 'in', connectedAt: null, startedAt: 3_000, endReason: 'cancelled (487)', codec: null, encrypted: false, wideband: false });
    const declined = ended('d', { direction: 'in', connectedAt: null, startedAt: 2_000, endReason: 'declined (603)' });
    const busy = ended('b', { connectedAt: null, startedAt: 2_000, endReason: 'busy (486)' });
    for (const c of [busy, missed, declined]) repo.save(c);
    expect(repo.list().map((c) => c.id)).toEqual(['m', 'b', 'd']);
    expect(repo.list()[0]).toEqual(missed);
    expect([isMissed(missed), isMissed(declined), isMissed(busy), isMissed(ended('x'))]).toEqual([true, false, false, false]);
    const flags = db.prepare('SELECT id, missed FROM calls ORDER BY id').all();
    expect(flags).toEqual([{ id: 'b', missed: 0 }, { id: 'd', missed: 0 }, { id: 'm', missed: 1 }]);
    db.close();
  });

  it(`is bounded: only the newest ${CALL_HISTORY_LIMIT} calls are kept`, () => {
    const db = openDatabase(':memory:', migrations);
    const repo = new CallRepository(db);
    const total = CALL_HISTORY_LIMIT + 25;
    db.exec('BEGIN');
    for (let i = 0; i < total; i++) repo.save(ended(`c${String(i).padStart(5, '0')}`, { startedAt: 10_000 + i }));
    db.exec('COMMIT');
    expect(db.prepare('SELECT count(*) AS n FROM calls').get()).toEqual({ n: CALL_HISTORY_LIMIT });
    const list = repo.list();
    expect(list).toHaveLength(CALL_HISTORY_LIMIT);
    expect(list[0]?.startedAt).toBe(10_000 + total - 1);
    expect(list.at(-1)?.startedAt).toBe(10_000 + 25);
    expect(repo.list(3).map((c) => c.startedAt)).toEqual([10_000 + total - 1, 10_000 + total - 2, 10_000 + total - 3]);
    db.close();
  });
});
