/**
 * The security:* IPC handlers (S/MIME identities, contacts' certificates, per-conversation protection)
 * for the composition root (main/services/app-services.ts) to spread into its handler table.
 */
import type { InvokeChannel } from '#shared/ipc/contract.ts';
import type { Emit } from '../../ipc/event-bus.ts';
import type { IpcHandlers } from '../../ipc/router.ts';
import { ServiceError } from '../../ipc/service-error.ts';
import type { Storage } from '../../storage/storage.ts';
import type { SmimeService } from './smime-service.ts';

export type SecurityChannel = Extract<InvokeChannel, `security:${string}`>;
export type SecurityHandlers = Pick<IpcHandlers, SecurityChannel>;

export interface SecurityHandlerDeps {
  readonly smime: SmimeService;
  readonly storage: Pick<Storage, 'getConversation'>;
  readonly emit: Emit;
}

function base64Bytes(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(clean)) throw new ServiceError('invalid-input', 'The file could not be read.');
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

export function createSecurityHandlers({ smime }: SecurityHandlerDeps): SecurityHandlers {
  return {
    'security:get-identity': ({ accountId }) => smime.ownIdentity(accountId),
    'security:generate-identity': ({ accountId, kind }) => smime.generate(accountId, kind),
    'security:import-identity': ({ accountId, pkcs12Base64, password }) => smime.importPkcs12(accountId, base64Bytes(pkcs12Base64), password),
    'security:set-enabled': ({ accountId, enabled }) => smime.setEnabled(accountId, enabled),
    'security:export-certificate': async ({ accountId }) => ({ pem: await smime.exportCertificatePem(accountId) }),
    'security:list-contact-certificates': () => smime.listContactCertificates(),
    'security:import-contact-certificate': ({ address, pem }) => smime.importContactCertificate(address, pem),
    'security:mark-verified': ({ address, fingerprint }) => smime.markVerified(address, fingerprint.toLowerCase()),
    'security:accept-changed-certificate': ({ address }) => smime.acceptChange(address),
    'security:get-conversation-protection': ({ conversationId }) => smime.getConversationProtection(conversationId),
    'security:set-conversation-protection': ({ conversationId, setting, required }) => smime.setConversationProtection(conversationId, setting, required),
    'security:list-diagnostics': () =>
      smime.diagnostics().map((d) => ({ at: d.at, event: d.event, detail: JSON.stringify(d.detail) })),
  };
}
