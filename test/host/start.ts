/** Manual dev use: `npm run host` (after `npm run build:renderer-test`) and open the printed URL. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RENDERER_TEST_BUILD, startHost } from './server.ts';

if (!existsSync(join(RENDERER_TEST_BUILD, 'index.html'))) {
  console.error('No renderer build: run `npm run build:renderer-test` first.');
  process.exit(1);
}
const port = Number(process.env.PORT ?? '0');
const host = await startHost({ port: Number.isInteger(port) ? port : 0, log: (m, e) => console.error(m, e) });
console.log(`SIP Messenger renderer test host: ${host.url}`);
const stop = () => {
  void host.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
