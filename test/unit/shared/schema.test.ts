import { describe, expect, it } from 'vitest';
import { s } from '#shared/ipc/schema.ts';

describe('IPC request schema', () => {
  const schema = s.object({ id: s.id(), n: s.nullable(s.int({ min: 1, max: 3 })), t: s.literal('udp', 'tcp') });
  it('accepts a well-formed request', () => {
    expect(schema.check({ id: 'a', n: 2, t: 'udp' }, 'req')).toEqual({ ok: true, value: { id: 'a', n: 2, t: 'udp' } });
  });
  it('rejects wrong types, ranges, literals and extra fields with a path', () => {
    expect(schema.check({ id: 'a', n: 9, t: 'udp' }, 'req')).toMatchObject({ ok: false, problem: expect.stringContaining('req.n') });
    expect(schema.check({ id: 'a', n: null, t: 'sctp' }, 'req')).toMatchObject({ ok: false });
    expect(schema.check({ id: 'a', n: null, t: 'tcp', x: 1 }, 'req')).toMatchObject({ ok: false, problem: 'req.x: unexpected field' });
    expect(schema.check('nope', 'req')).toMatchObject({ ok: false });
  });
});
