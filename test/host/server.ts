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
import { createAppServices, type AppServices } from '../../main/services/app-services.ts';
import { createTestSecretStore } from '../../main/services/secret-store.ts';
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
}

export interface Host {
  readonly url: string;
  readonly services: AppServices;
  stop(): Promise<void>;
}

export async function startHost(options: HostOptions = {}): Promise<Host> {
  let dataDir: string | null = null;
  let services = options.services;
  if (!services) {
    dataDir = await mkdtemp(join(tmpdir(), 'sip-messenger-host-'));
    services = await createAppServices({ dataDir, secrets: createTestSecretStore(), appVersion: '0.0.0-test' });
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
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      if (dataDir !== null) {
        await owned.dispose();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
