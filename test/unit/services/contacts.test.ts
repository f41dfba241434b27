import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ContactsService } from '../../../main/services/contacts.ts';
import { openStorage, type Storage } from '../../../main/storage/storage.ts';
import type { ContactDto, ContactInput } from '#shared/domain/contact.ts';
import type { ContactId } from '#shared/domain/ids.ts';

function input(over: Partial<ContactInput> = {}): ContactInput {
  return { id: null, displayName: 'Bob', address: 'bob@example.test', note: '', ...over };
}

describe('ContactsService', () => {
  let storage: Storage;
  let events: (readonly ContactDto[])[];
  let clock: number;
  let service: ContactsService;
  beforeAll(async () => {
    storage = await openStorage(':memory:');
  });
  afterAll(() => storage.close());
  beforeEach(async () => {
    for (const c of await storage.listContacts()) await storage.removeContact(c.id);
    events = [];
    clock = 1_000;
    service = new ContactsService({
      storage,
      emit: (event, payload) => {
        if (event === 'contacts:changed') events.push(payload as readonly ContactDto[]);
      },
      now: () => clock,
    });
  });

  describe('save', () => {
    it.each([
      ['bob@example.test', 'sip:bob@example.test'],
      ['sip:bob@Example.Test', 'sip:bob@example.test'],
      ['sips:bob@example.test:5061', 'sips:bob@example.test:5061'],
      ['im:bob@example.test', 'im:bob@example.test'],
    ])('accepts %s and stores %s', async (address, stored) => {
      expect((await service.save(input({ address }))).address).toBe(stored);
    });

    it.each([['bob'], ['tel:+123'], ['http://example.test'], ['bob@'], ['sip:bob@exa mple.test']])(
      'rejects %j with invalid-input',
      async (address) => {
        await expect(service.save(input({ address }))).rejects.toMatchObject({
          code: 'invalid-input',
          message: expect.stringMatching(/^Address: /),
        });
        expect(events).toEqual([]);
      },
    );

    it('emits contacts:changed with the full list, sorted by name', async () => {
      const z = await service.save(input({ displayName: 'zoe', address: 'zoe@example.test' }));
      const a = await service.save(input({ displayName: 'Adam', address: 'adam@example.test' }));
      expect(events.at(-1)).toEqual([a, z]);
      expect(await service.list()).toEqual([a, z]);
    });

    it('names a contact after the user part when no name is given', async () => {
      expect((await service.save(input({ displayName: '  ', address: 'sip:carol%20x@example.test' }))).displayName).toBe('carol x');
    });

    it('refuses a second contact with the same user@host (host case-insensitive)', async () => {
      await service.save(input());
      await expect(service.save(input({ displayName: 'Other', address: 'sips:bob@EXAMPLE.test' }))).rejects.toMatchObject({
        code: 'duplicate',
        message: expect.stringContaining('"Bob"'),
      });
    });

    it('updates an existing contact, keeping its creation time', async () => {
      const c = await service.save(input());
      clock = 5_000;
      const u = await service.save(input({ id: c.id, displayName: 'Robert', note: 'builder' }));
      expect(u).toEqual({ ...c, displayName: 'Robert', note: 'builder' });
      await expect(service.save(input({ id: 'gone' as ContactId }))).rejects.toMatchObject({ code: 'not-found' });
    });

    it('rejects control characters in the name', async () => {
      await expect(service.save(input({ displayName: 'Bob\r\nX' }))).rejects.toMatchObject({ code: 'invalid-input' });
    });
  });

  describe('findByAddress', () => {
    it('matches user@host with the host case-insensitive, ignoring scheme, port and parameters', async () => {
      const c = await service.save(input());
      expect(await service.findByAddress('sip:bob@EXAMPLE.TEST;transport=tcp')).toEqual(c);
      expect(await service.findByAddress('"Bob" <sips:bob@example.test:5061>')).toEqual(c);
      expect(await service.findByAddress('im:bob@example.test')).toEqual(c);
    });

    it('compares the user part case-sensitively (RFC 3261 §19.1.4)', async () => {
      await service.save(input());
      expect(await service.findByAddress('sip:Bob@example.test')).toBeNull();
      expect(await service.findByAddress('sip:bob@other.test')).toBeNull();
    });
  });

  describe('search and remove', () => {
    it('searches name and address case-insensitively; LIKE wildcards are literal', async () => {
      const bob = await service.save(input({ displayName: 'Bob Builder' }));
      const ann = await service.save(input({ displayName: 'Ann', address: 'ann_x@corp.test' }));
      expect(await service.search('builder')).toEqual([bob]);
      expect(await service.search('CORP')).toEqual([ann]);
      expect(await service.search('_x')).toEqual([ann]);
      expect(await service.search('%')).toEqual([]);
      expect(await service.search('  ')).toEqual([ann, bob]);
      expect(await service.search('', 1)).toEqual([ann]);
    });

    it('removes a contact and emits the new list; removing again is a no-op', async () => {
      const c = await service.save(input());
      events = [];
      await service.remove(c.id);
      expect(events).toEqual([[]]);
      await service.remove(c.id);
      expect(events).toHaveLength(1);
    });
  });
});
