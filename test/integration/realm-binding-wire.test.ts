/**
 * Issue 10, realm binding on the wire: the app (createAppServices, as Electron builds it) registers to a
 * small UDP registrar/proxy that challenges REGISTER with realm "pbx.test" (learned and stored), then
 * answers the app's MESSAGE with `401` and `realm="attacker.example"` — the callee's forged challenge
 * relayed by a proxy. The challenge is not answered (no second MESSAGE, no Authorization for that realm
 * anywhere), the message fails with "asked for a password by an unknown realm attacker.example", and
 * the diagnostics trace says so.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResponse, parseMessage, serializeMessage, type SipRequest } from '../../main/sip/message/index.ts';
import { startApp, waitFinal, waitRegistered, type App } from '../support/app-process-kit.ts';
import { waitFor } from '../support/peers.ts';

const OWN_REALM = 'pbx.test';
const FOREIGN_REALM = 'attacker.example';

describe('a foreign-realm 401 is not answered (issue 10, RFC 3261 §22)', () => {
  let peer: Socket;
  let peerPort = 0;
  let app: App;
  const received: SipRequest[] = [];

  beforeAll(async () => {
    peer = createSocket('udp4');
    peer.on('message', (data: Buffer, from: RemoteInfo) => {
      let message;
      try {
        message = parseMessage(data);
      } catch {
        return;
      }
      if (message.kind !== 'request') return;
      received.push(message);
      const answer = (status: number, headers: [string, string][] = []) => {
        const response = createResponse(message, status, undefined, { toTag: 'peer1', headers });
        peer.send(serializeMessage(response), from.port, from.address);
      };
      if (message.method === 'REGISTER') {
        if (!message.headers.has('Authorization')) answer(401, [['WWW-Authenticate', `Digest realm="${OWN_REALM}", nonce="reg-${received.length}", qop="auth"`]]);
        else answer(200, [['Contact', `${message.headers.get('Contact') ?? ''};expires=120`]]);
      } else if (message.method === 'MESSAGE') {
        answer(401, [['WWW-Authenticate', `Digest realm="${FOREIGN_REALM}", nonce="evil-${received.length}", qop="auth"`]]);
      } else if (message.method !== 'ACK') answer(200);
    });
    await new Promise<void>((resolve) => peer.bind(0, '127.0.0.1', resolve));
    peerPort = peer.address().port;
    app = await startApp();
  });

  afterAll(async () => {
    await app?.services.dispose();
    peer?.close();
  });

  it('learns the registrar realm, refuses the foreign one on the wire, and the message fails with the plain reason', async () => {
    const account = await app.call('accounts:save', {
      id: null,
      aor: 'sip:alice@pbx.test',
      displayName: 'Alice',
      authUser: 'alice',
      password: 'alice-secret',
      registrar: 'pbx.test',
      outboundProxy: `sip:127.0.0.1:${peerPort}`,
      transport: 'udp',
      port: null,
      cpim: false,
      pinnedCertificate: null,
      enabled: true,
      realm: null,
    });
    await waitRegistered(app, account.id);
    // learned from the registrar's first successful challenge and stored with the account
    await waitFor(() => app.of('accounts:changed').some((list) => list.some((a) => a.learnedRealm === OWN_REALM)), 'realm learned', 10_000);
    expect((await app.call('accounts:list', null)).map((a) => a.learnedRealm)).toEqual([OWN_REALM]);

    const conversation = await app.call('chats:open-conversation', { accountId: account.id, peer: 'sip:bob@pbx.test' });
    const outcome = await app.call('chats:send-message', { conversationId: conversation.id, body: 'hello', expiresInSeconds: null, oversize: null });
    if (outcome.kind !== 'queued' || outcome.messages[0] === undefined) throw new Error('expected queued');
    const final = await waitFinal(app, outcome.messages[0].id);
    expect(final).toMatchObject({ state: 'failed', reason: `asked for a password by an unknown realm ${FOREIGN_REALM}` });

    // on the wire: exactly one MESSAGE, and no credentials for the foreign realm ever left the app
    const messages = received.filter((r) => r.method === 'MESSAGE');
    expect(messages).toHaveLength(1);
    for (const r of received) {
      for (const h of [...r.headers.getAll('Authorization'), ...r.headers.getAll('Proxy-Authorization')]) {
        expect(h).toContain(`realm="${OWN_REALM}"`);
      }
    }
    expect(received.some((r) => r.method === 'REGISTER' && r.headers.has('Authorization'))).toBe(true);

    const trace = await app.call('diagnostics:list-trace', { accountId: account.id, callId: messages[0]?.callId ?? null, limit: 100 });
    expect(trace.map((t) => t.direction)).toEqual(['sent', 'received', 'note']);
    expect(trace.at(-1)?.summary).toBe(`MESSAGE: asked for a password by an unknown realm ${FOREIGN_REALM}`);
  });
});
