/**
 * The other party of an e2e test: a second app instance (createAppServices, exactly as the Electron app
 * builds it) in the test process, driven through the same IPC router the renderer uses, registered to
 * the same Kamailio as the instance in Chromium.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIpcRouter } from '../../main/ipc/router.ts';
import { createAppServices, type AppServices } from '../../main/services/app-services.ts';
import { createTestSecretStore } from '../../main/services/secret-store.ts';
import type { AccountDto, AccountInput } from '#shared/domain/account.ts';
import type { ConversationDto, MessageDto } from '#shared/domain/chat.ts';
import type { EventMap, EventName, InvokeChannel, RequestOf, ResponseOf } from '#shared/ipc/contract.ts';
import { waitFor } from './peers.ts';

export interface PeerApp {
  readonly services: AppServices;
  call<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  of<E extends EventName>(name: E): EventMap[E][];
  /** saves the account and waits until it is registered */
  register(input: AccountInput): Promise<AccountDto>;
  /** sends `body` to `peer` and waits for its final state */
  send(peer: string, body: string): Promise<MessageDto>;
  stop(): Promise<void>;
}

/** An account on the peer lab's Kamailio (users alice/bob/carol, password `<user>-secret`, domain example.test). */
export function labAccount(user: string, sipPort: number, password = `${user}-secret`): AccountInput {
  return {
    id: null,
    aor: `sip:${user}@example.test`,
    displayName: user.charAt(0).toUpperCase() + user.slice(1),
    authUser: user,
    password,
    registrar: 'example.test',
    outboundProxy: `sip:127.0.0.1:${sipPort}`,
    transport: 'udp',
    port: null,
    cpim: false,
    pinnedCertificate: null,
    enabled: true,
  };
}

export async function startPeerApp(): Promise<PeerApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sipm-e2e-peer-'));
  // limitHeapGrowth off: V8's flag is process-wide and this is the test's process
  const services = await createAppServices({ dataDir, secrets: createTestSecretStore(), appVersion: 'test', sip: { bindAddress: '127.0.0.1' }, limitHeapGrowth: false });
  const router = createIpcRouter(services.handlers);
  const events: { name: EventName; payload: unknown }[] = [];
  services.events.subscribe((name, payload) => events.push({ name, payload }));
  const of = <E extends EventName>(name: E): EventMap[E][] => events.filter((e) => e.name === name).map((e) => e.payload as EventMap[E]);
  const call = async <C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> => {
    const result = await router.dispatch(channel, request);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value as ResponseOf<C>;
  };
  return {
    services,
    call,
    of,
    async register(input) {
      const account = await call('accounts:save', input);
      await waitFor(
        () => of('accounts:registration-changed').some((r) => r.accountId === account.id && r.registration.state === 'registered'),
        `${account.aor} registered`,
        15_000,
      );
      return account;
    },
    async send(peer, body) {
      const conversation: ConversationDto = await call('chats:open-conversation', { accountId: null, peer });
      const outcome = await call('chats:send-message', { conversationId: conversation.id, body, expiresInSeconds: null, oversize: null });
      const sent = outcome.kind === 'queued' ? outcome.messages[0] : undefined;
      if (!sent) throw new Error(`not queued: ${outcome.kind}`);
      const final = () => of('chats:message-changed').filter((m) => m.id === sent.id && m.state !== 'queued' && m.state !== 'sending').at(-1);
      await waitFor(() => final() !== undefined, `final state of "${body}"`, 15_000);
      return final() as MessageDto;
    },
    async stop() {
      await services.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
