/**
 * The renderer test host: the SAME main services as the Electron app (createAppServices), serving the
 * SAME contract (createIpcRouter) over a WebSocket instead of Electron IPC, plus the built renderer over
 * HTTP on 127.0.0.1 (one origin for both).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { createIpcRouter } from '../../main/ipc/router.ts';
import { createAppServices, type AppServices, type AppServicesOptions } from '../../main/services/app-services.ts';
import { createTestSecretStore, type SecretStore } from '../../main/services/secret-store.ts';
import { createHostCallAudio } from './audio-host.ts';
import { IPC_PATH, parseRequestFrame, type EventFrame, type ReplyFrame } from './protocol.ts';
import { staticHandler } from './static-files.ts';

export const RENDERER_TEST_BUILD = fileURLToPath(new URL('../../out/renderer-test', import.meta.url));

export interface HostOptions {
  /** 0 (default) picks a free port */
  readonly port?: number;
  /** services to serve; by default fresh ones over a temp data dir (disposed by stop()) */
  readonly services?: AppServices;
  /** folder of the built renderer */
  readonly root?: string;
  readonly log?: (message: string, error: unknown) => void;
  /**
   * when the host builds the services: a data dir to use (kept on stop(): the caller owns it, e.g. one
   * seeded before the host opens it); default a fresh temp dir removed on stop()
   */
  readonly dataDir?: string;
  /** when the host builds the services: their secret store (default a fresh in-memory test store) */
  readonly secrets?: SecretStore;
  /** when the host builds the services: SIP stack tuning, e.g. `{ bindAddress: '127.0.0.1' }` */
  readonly sip?: AppServicesOptions['sip'];
}

export interface Host {
  readonly url: string;
  readonly services: AppServices;
  stop(): Promise<void>;
}

export async function startHost(options: HostOptions = {}): Promise<Host> {
  /** the temp data dir this host made (removed on stop) */
  let dataDir: string | null = null;
  let services = options.services;
  const ownsServices = services === undefined;
  // call audio: the page's microphone and speaker over `${IPC_PATH}?audio=<callId>` sockets (issue 6)
  const audio = createHostCallAudio();
  if (!services) {
    if (options.dataDir === undefined) dataDir = await mkdtemp(join(tmpdir(), 'sip-messenger-host-'));
    services = await createAppServices({
      dataDir: options.dataDir ?? dataDir ?? '',
      secrets: options.secrets ?? createTestSecretStore(),
      appVersion: '0.0.0-test',
      audio: audio.port,
      ...(options.sip !== undefined ? { sip: options.sip } : {}),
    });
  }
  const router = createIpcRouter(services.handlers, options.log);
  const http = createServer(staticHandler(options.root ?? RENDERER_TEST_BUILD));
  const wss = new WebSocketServer({ server: http, path: IPC_PATH, maxPayload: 4 * 1024 * 1024 });
  const clients = new Set<WebSocket>();

  wss.on('connection', (socket, req) => {
    // same-origin only, like the app's sender check
    const origin = req.headers.origin;
    const host = req.headers.host;
    if (origin !== undefined && origin !== `http://${host}`) {
      socket.close(1008, 'wrong origin');
      return;
    }
    if (audio.accept(socket, req.url)) return;
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
    socket.on('error', () => clients.delete(socket));
    socket.on('message', (data) => {
      const frame = parseRequestFrame(data.toString());
      if (frame === null) return; // malformed frames are dropped, never thrown
      void router.dispatch(frame.channel, frame.request).then((result) => {
        const reply: ReplyFrame = { id: frame.id, result };
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
      });
    });
  });
  const unsubscribe = services.events.subscribe((event, payload) => {
    const text = JSON.stringify({ event, payload } satisfies EventFrame);
    for (const c of clients) if (c.readyState === c.OPEN) c.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const owned = services;
  return {
    url: `http://127.0.0.1:${port}/`,
    services: owned,
    async stop() {
      unsubscribe();
      for (const c of clients) c.terminate();
      audio.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      if (ownsServices) await owned.dispose();
      if (dataDir !== null) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
