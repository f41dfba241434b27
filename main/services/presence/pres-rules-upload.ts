/**
 * Keeps the user's watcher decisions on the presence server (RFC 5025 pres-rules over XCAP, RFC 4825)
 * for one account: the whole document is PUT when it differs from the last one the server took, one
 * request at a time (a change during a PUT is sent right after it). A failure is kept in plain words
 * (`problem`) and tried again on the next change or re-registration, never in a loop.
 */
import { buildPresRules, PRES_RULES_CONTENT_TYPE, type PresRules } from '../../sip/body/pres-rules.ts';
import { presRulesUrl, putDocument, type XcapAccess, type XcapResult } from './xcap-client.ts';

export interface PresRulesUploadOptions {
  readonly access: () => Promise<XcapAccess | null>;
  /** null: the decisions are not known yet (nothing is sent) */
  readonly rules: () => PresRules | null;
  /** test seam: the PUT itself */
  readonly put?: (access: XcapAccess, url: URL, body: string, contentType: string) => Promise<XcapResult>;
  readonly onResult?: (result: { readonly ok: boolean; readonly problem: string | null }) => void;
}

export class PresRulesUpload {
  readonly #o: PresRulesUploadOptions;
  #stored: string | null = null;
  #running = false;
  #again = false;
  #closed = false;
  problem: string | null = null;

  constructor(options: PresRulesUploadOptions) {
    this.#o = options;
  }

  /** the document the server holds (null = none of ours yet) */
  get stored(): string | null {
    return this.#stored;
  }

  /** the server may have lost it (a new registration, a restart): send it again on the next sync */
  forget(): void {
    this.#stored = null;
  }

  sync(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    void this.#run();
  }

  close(): void {
    this.#closed = true;
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      do {
        this.#again = false;
        const rules = this.#o.rules();
        if (rules === null) return;
        const doc = buildPresRules(rules);
        if (doc === this.#stored) continue;
        const access = await this.#o.access();
        if (access === null || this.#closed) return;
        const r = await (this.#o.put ?? putDocument)(access, presRulesUrl(access), doc, PRES_RULES_CONTENT_TYPE);
        if (r.problem === null) this.#stored = doc;
        this.problem = r.problem;
        this.#o.onResult?.({ ok: r.problem === null, problem: r.problem });
        if (r.problem !== null) return;
      } while (this.#again && !this.#closed);
    } finally {
      this.#running = false;
    }
  }
}
