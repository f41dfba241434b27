/**
 * Issue 10 forged-source and addressed-to-us cases against the running services (createAppServices, as
 * Electron builds them) over real UDP: the app registers through a small registrar/proxy at 127.0.0.1.
 *  - a MESSAGE, INVITE and OPTIONS sent straight to the app's port from 127.0.0.2 (even to the right
 *    Contact, with `From: "Bob (CFO)"`) get no answer and nothing is stored (source check, RFC 5626 idea);
 *  - through the proxy, a Request-URI that is neither our Contact nor our AOR gets 404 (RFC 3261
 *    §8.2.2.1) and is not stored; our Contact (with its token) and our AOR are answered 200 and stored.
 */
import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBranch } from '../../main/sip/message/index.ts';
import { startApp, waitRegistered, type App } from '../support/app-process-kit.ts';
import { requirePeer } from '../support/peers.ts';
import { relayedMessage, startUdpRegistrar, type UdpRegistrar } from '../support/udp-registrar.ts';

const ATTACKER = '127.0.0.2';

function forged(method: string, requestUri: string, port: number, callId: string): Buffer {
  const body = method === 'MESSAGE' ? 'wire the money today' : '';
  return Buffer.from(
    `${method} ${requestUri} SIP/2.0\r\nVia: SIP/2.0/UDP ${ATTACKER}:${port};branch=${newBranch()};rport\r\nMax-Forwards: 70\r\n` +
      `From: "Bob (CFO)" <sip:bob@example.test>;tag=cfo\r\nTo: <sip:carol@example.test>\r\nCall-ID: ${callId}\r\nCSeq: 1 ${method}\r\n` +
      `Contact: <sip:bob@${ATTACKER}:${port}>\r\n${body ? 'Content-Type: text/plain\r\n' : ''}Content-Length: ${body.length}\r\n\r\n${body}`,
  );
}

describe('only the registered path, only our addresses (issue 10)', () => {
  let registrar: UdpRegistrar;
  let app: App;
  let attacker: Socket;
  const attackerHeard: Buffer[] = [];

  beforeAll(async () => {
    registrar = await startUdpRegistrar('127.0.0.1');
    app = await startApp();
    attacker = createSocket('udp4');
    attacker.on('message', (m) => attackerHeard.push(m));
    await new Promise<void>((resolve) => attacker.bind(0, ATTACKER, resolve));
  });

  afterAll(async () => {
    await app?.services.dispose();
    registrar?.close();
    attacker?.close();
  });

  it('forged direct requests are unanswered and unstored; through the proxy only our Contact or AOR is heard (404 otherwise)', async () => {
    const account = await app.call('accounts:save', {
      id: null,
      aor: 'sip:alice@pbx.test',
      displayName: 'Alice',
      authUser: 'alice',
      password: 'alice-secret',
      registrar: 'pbx.test',
      outboundProxy: `sip:127.0.0.1:${registrar.port}`,
      transport: 'udp',
      port: null,
      cpim: false,
      pinnedCertificate: null,
      enabled: true,
      realm: null,
    });
    await waitRegistered(app, account.id);
    const contact = registrar.contact();
    if (contact === null) throw new Error('no contact registered');
    // the Contact's user part is a token, not "alice" (a scanner cannot guess it)
    expect(contact.uri).toMatch(/^sip:[A-Za-z0-9_-]{22}@127\.0\.0\.1:\d+$/);

    const attackerPort = attacker.address().port;
    for (const [i, method] of ['MESSAGE', 'INVITE', 'OPTIONS'].entries()) {
      for (const uri of [contact.uri, 'sip:nobody@192.0.2.1']) {
        const bytes = forged(method, uri, attackerPort, `forged-${i}-${uri.length}`);
        await new Promise<void>((resolve, reject) => attacker.send(bytes, contact.port, contact.address, (e) => (e ? reject(e) : resolve())));
      }
    }

    // through the proxy (sent after the forged ones, on the same app socket)
    const toNobody = await registrar.request(relayedMessage('sip:nobody@192.0.2.1', 'sip:bob@pbx.test', 'to nobody', 'p-nobody'));
    expect(toNobody.status).toBe(404);
    const toAliceUser = await registrar.request(relayedMessage(`sip:alice@${contact.address}:${contact.port}`, 'sip:bob@pbx.test', 'old style contact', 'p-alice-user'));
    expect(toAliceUser.status).toBe(404);
    const toContact = await registrar.request(relayedMessage(contact.uri, 'sip:bob@pbx.test', 'via the proxy to our contact', 'p-contact'));
    expect(toContact.status).toBe(200);
    const toAor = await registrar.request(relayedMessage('sip:alice@pbx.test', 'sip:carol@pbx.test', 'via the proxy to our AOR', 'p-aor'));
    expect(toAor.status).toBe(200);

    expect(attackerHeard).toHaveLength(0);
    const bodies: string[] = [];
    for (const c of await app.call('chats:list-conversations', null)) {
      const page = await app.call('chats:page-messages', { conversationId: c.id, before: null, limit: 50 });
      bodies.push(...page.messages.map((m) => m.body));
    }
    expect(bodies.sort()).toEqual(['via the proxy to our AOR', 'via the proxy to our contact']);
    expect(await app.call('calls:list', null)).toEqual([]);
  });

  it('a sipvicious scan (svmap, OPTIONS and INVITE) from another address finds nothing to talk to; the proxy still gets answers', async () => {
    const svmap = requirePeer('svmap');
    const contact = registrar.contact();
    if (contact === null) throw new Error('no contact registered (the first test registers the account)');
    // svmap prints its table of answering devices (-v) or "found nothing"; read stdout and stderr. Async:
    // the app (and the stub below) answer on this process's event loop.
    const run = (args: string[]): Promise<string> =>
      new Promise((resolve) => execFile(svmap, ['-v', ...args], { encoding: 'utf8', timeout: 60_000 }, (_e, out, err) => resolve(`${out}${err}`)));

    // the scanner works: a UA that answers anything (a stub on 127.0.0.3) is found
    const stub = createSocket('udp4');
    stub.on('message', (m, from) => {
      const copy = m.toString('latin1').split('\r\n').filter((l) => /^(Via|From|To|Call-ID|CSeq)\s*:/i.test(l));
      stub.send(Buffer.from(['SIP/2.0 200 OK', ...copy, 'User-Agent: stub', 'Content-Length: 0', '', ''].join('\r\n')), from.port, from.address);
    });
    await new Promise<void>((resolve) => stub.bind(0, '127.0.0.3', resolve));
    const stubPort = stub.address().port;
    const found = await run(['-b', ATTACKER, '-p', String(stubPort), '-m', 'OPTIONS', '-t', '0.5', '127.0.0.3']);
    stub.close();
    expect(found, found).toContain(`127.0.0.3:${String(stubPort)}`);

    const seenBefore = attackerHeard.length;
    for (const method of ['OPTIONS', 'INVITE']) {
      const out = await run(['-b', ATTACKER, '-p', String(contact.port), '-m', method, '-t', '0.5', contact.address]);
      expect(out, out).not.toContain(`${contact.address}:${String(contact.port)}`);
      expect(out).toContain('found nothing');
    }
    expect(attackerHeard.length).toBe(seenBefore);
    expect(await app.call('calls:list', null)).toEqual([]);
    // and the app is alive for the PBX: a request through the registered path is still answered
    const alive = await registrar.request(relayedMessage(contact.uri, 'sip:bob@pbx.test', 'after the scan', 'p-after-scan'));
    expect(alive.status).toBe(200);
  }, 120_000);
});
