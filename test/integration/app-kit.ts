/** Whole-app test kit: app instances built by createAppServices, driven through the IPC router. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountDto } from '../../shared/domain/account.ts';
import type { MessageDto } from '../../shared/domain/chat.ts';
import type { EventMap, EventName, InvokeChannel, RequestOf, ResponseOf } from '../../shared/ipc/contract.ts';
import { createIpcRouter } from '../../main/ipc/router.ts';
import { createAppServices, type AppServices, type AppServicesOptions } from '../../main/services/app-services.ts';
import { createTestSecretStore } from '../../main/services/secret-store.ts';
import { waitFor } from '../support/peers.ts';

export interface App {
  readonly services: AppServices;
  readonly events: { name: EventName; payload: unknown }[];
  call<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  of<E extends EventName>(name: E): EventMap[E][];
}

export async function startApp(extra: Partial<AppServicesOptions> = {}): Promise<App> {
  const services = await createAppServices({
    dataDir: mkdtempSync(join(tmpdir(), 'sipm-app-')),
    secrets: createTestSecretStore(),
    appVersion: 'test',
    sip: { bindAddress: '127.0.0.1' },
    ...extra,
  });
  const router = createIpcRouter(services.handlers);
  const events: { name: EventName; payload: unknown }[] = [];
  services.events.subscribe((name, payload) => events.push({ name, payload }));
  return {
    services,
    events,
    async call(channel, request) {
      const result = await router.dispatch(channel, request);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
      return result.value as never;
    },
    of: (name) => events.filter((e) => e.name === name).map((e) => e.payload as never),
  };
}

export function accountInput(user: string, sipPort: number, transport: 'udp' | 'tcp') {
  return {
    id: null,
    aor: `sip:${user}@example.test`,
    displayName: user[0]?.toUpperCase() + user.slice(1),
    authUser: user,
    password: `${user}-secret`,
    registrar: 'example.test',
    outboundProxy: `sip:127.0.0.1:${sipPort}${transport === 'tcp' ? ';transport=tcp' : ''}`,
    transport,
    port: null,
    cpim: false,
    pinnedCertificate: null,
    enabled: true,
  } as const;
}

export async function registered(app: App, account: AccountDto): Promise<void> {
  await waitFor(
    () => app.of('accounts:registration-changed').some((r) => r.accountId === account.id && r.registration.state === 'registered'),
    `${account.aor} registered`,
    15_000,
  );
}

export const finalState = (app: App, id: string) => () =>
  app.of('chats:message-changed').some((m) => m.id === id && m.state !== 'queued' && m.state !== 'sending');
export const lastState = (app: App, id: string): MessageDto | undefined => app.of('chats:message-changed').filter((m) => m.id === id).at(-1);

