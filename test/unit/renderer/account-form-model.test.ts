import { describe, expect, it } from 'vitest';
import { emptyAccountForm, formFromAccount, validateAccountForm } from '../../../renderer/src/features/accounts/account-form-model.ts';
import { account } from './fixtures.ts';
import type { AccountId } from '#shared/domain/ids.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';

describe('account form validation', () => {
  it('an empty new account asks for the SIP address and the password', () => {
    const r = validateAccountForm(emptyAccountForm, null);
    expect(Object.keys(r.errors).sort()).toEqual(['aor', 'password']);
    expect(r.input).toBeNull();
  });

  it('rejects a bad address, port, proxy and a certificate without TLS', () => {
    const r = validateAccountForm(
      { ...emptyAccountForm, aor: 'alice', password: 'x', port: '0', outboundProxy: 'http://proxy', pinnedCertificate: PEM },
      null,
    );
    expect(Object.keys(r.errors).sort()).toEqual(['aor', 'outboundProxy', 'pinnedCertificate', 'port']);
  });

  it('a valid form becomes an AccountInput: sip: added, registrar defaults to the domain, empty fields null', () => {
    const r = validateAccountForm({ ...emptyAccountForm, aor: 'alice@pbx.example.com', password: 'pw', transport: 'tls', port: '5061', pinnedCertificate: PEM }, null);
    expect(r.errors).toEqual({});
    expect(r.input).toMatchObject({ id: null, aor: 'sip:alice@pbx.example.com', registrar: 'pbx.example.com', port: 5061, outboundProxy: null, pinnedCertificate: PEM, password: 'pw' });
  });

  it('an empty authentication user becomes the user part of the SIP address, so a registration test authenticates as the saved account will', () => {
    const blank = validateAccountForm({ ...emptyAccountForm, aor: 'sip:alice@example.test', password: 'pw' }, null);
    expect(blank.input).toMatchObject({ authUser: 'alice', registrar: 'example.test' });
    const given = validateAccountForm({ ...emptyAccountForm, aor: 'alice@example.test', authUser: ' 1001 ', password: 'pw' }, null);
    expect(given.input).toMatchObject({ authUser: '1001' });
  });

  it('editing an account with a saved password may leave the password empty (keep it)', () => {
    const r = validateAccountForm({ ...emptyAccountForm, aor: 'sip:alice@10.0.0.5:5060' }, { id: 'a1' as AccountId, hasPassword: true });
    expect(r.input).toMatchObject({ id: 'a1', password: null, registrar: '10.0.0.5:5060' });
  });
});

describe('account form: realm binding and direct requests (issue 10)', () => {
  it('sends the realm, the extra realms as a list and the peer-to-peer switch; empty realm = learn it', () => {
    const v = { ...emptyAccountForm, aor: 'sip:alice@pbx.example.com', password: 'pw', realm: ' pbx ', extraRealms: 'edge, proxy2  other', allowDirect: true };
    expect(validateAccountForm(v, null).input).toMatchObject({ realm: 'pbx', extraRealms: ['edge', 'proxy2', 'other'], allowDirect: true });
    expect(validateAccountForm({ ...v, realm: '' }, null).input).toMatchObject({ realm: null });
    expect(validateAccountForm({ ...v, realm: 'a"b' }, null).errors.realm).toMatch(/quotes/);
    const form = formFromAccount({ ...account('a1', 'sip:alice@pbx.example.com'), realm: 'pbx', extraRealms: ['x', 'y'], allowDirect: true });
    expect(form).toMatchObject({ realm: 'pbx', extraRealms: 'x, y', allowDirect: true });
  });
});

describe('account form: the password follows the account (issue 10)', () => {
  it('says a change of server or user removes the saved password, unless a new one is typed', async () => {
    const { passwordNoticeFor } = await import('../../../renderer/src/features/accounts/password-notice.ts');
    const saved = { ...account('a1', 'sip:alice@example.test'), authUser: 'alice' };
    const form = formFromAccount(saved);
    expect(passwordNoticeFor(saved, form)).toBeNull();
    expect(passwordNoticeFor(saved, { ...form, displayName: 'New name' })).toBeNull();
    expect(passwordNoticeFor(saved, { ...form, registrar: 'evil.example', port: '5080' })).toMatch(/^Changing the registrar and the port removes the saved password/);
    expect(passwordNoticeFor(saved, { ...form, registrar: 'evil.example', password: 'typed' })).toBeNull();
    expect(passwordNoticeFor(null, form)).toBeNull();
  });
});
