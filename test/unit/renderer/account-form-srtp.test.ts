/** The account form's encrypted-audio fields (issue 13): what they send and what the form says they do. */
import { describe, expect, it } from 'vitest';
import { effectiveSrtp, emptyAccountForm, formFromAccount, validateAccountForm } from '../../../renderer/src/features/accounts/account-form-model.ts';
import { account } from './fixtures.ts';

const base = { ...emptyAccountForm, aor: 'sip:alice@example.test', password: 'pw' };

describe('account form: encrypted audio (SRTP)', () => {
  it('a new account leaves the choice to the transport default and sends no consent to keys over UDP/TCP', () => {
    const r = validateAccountForm(base, null);
    expect(r.input).toMatchObject({ srtp: null, srtpOverInsecure: false });
    expect(effectiveSrtp(base)).toBe('off');
    expect(effectiveSrtp({ ...base, transport: 'tls' })).toBe('required');
  });

  it('"required" over UDP/TCP without the consent is an error on the field; with it, it goes through', () => {
    const bad = validateAccountForm({ ...base, transport: 'tcp', srtp: 'required' }, null);
    expect(Object.keys(bad.errors)).toEqual(['srtp']);
    expect(bad.errors.srtp).toMatch(/TLS/);
    const ok = validateAccountForm({ ...base, transport: 'tcp', srtp: 'required', srtpOverInsecure: true }, null);
    expect(ok.input).toMatchObject({ srtp: 'required', srtpOverInsecure: true });
    expect(effectiveSrtp({ ...base, transport: 'tcp', srtp: 'required', srtpOverInsecure: true })).toBe('required');
    expect(validateAccountForm({ ...base, transport: 'tls', srtp: 'required' }, null).errors).toEqual({});
  });

  it('an existing account shows its stored setting', () => {
    const form = formFromAccount({ ...account('a1', 'sip:a@example.test'), srtp: 'offered', srtpOverInsecure: true });
    expect(form).toMatchObject({ srtp: 'offered', srtpOverInsecure: true });
    expect(effectiveSrtp(form)).toBe('offered');
    expect(effectiveSrtp({ ...form, srtp: 'off' })).toBe('off');
  });
});
