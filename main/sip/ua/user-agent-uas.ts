/**
 * The UAS half of the UA core (RFC 3261 §8.2): every new request first passes the §8.2 checks
 * (uas-checks.ts: 405 with Allow, 416, 482, 420, 415 with Accept, 481), then goes to the handler
 * registered for its method. CANCEL is answered here (§9.2); OPTIONS gets a default 200 (§11.2).
 * Requests that did not parse get the stateless 400 built from what could be read (§8.2, §18.3).
 */
import { createResponse } from '../message/index.ts';
import type { SipParseError, SipRequest, Uri } from '../message/index.ts';
import type { ServerTransaction, TransactionLayer } from '../transaction/index.ts';
import { readTopVia, responseDestination } from '../transport/index.ts';
import type { Endpoint, InboundMessage, TransportLayer } from '../transport/index.ts';
import { newTag } from './uac-request.ts';
import { checkRequest } from './uas-checks.ts';
import { badRequestFor } from './uas-checks-bad-request.ts';
import type { MergedRequestDetector } from './uas-checks-merged.ts';
import type { RequestHandler, RequestHandlerOptions } from './user-agent-options.ts';

interface Registered {
  readonly handler: RequestHandler;
  readonly options: RequestHandlerOptions;
}

export interface UasDispatcherOptions {
  readonly transactions: () => TransactionLayer;
  readonly transport: TransportLayer;
  readonly merged: MergedRequestDetector;
  readonly supportedExtensions: readonly string[];
  /** §8.2.2.1: is this Request-URI ours (Contact or AOR)? absent: every address is */
  readonly addressedToUs?: (uri: Uri) => boolean;
  dialogExists(): ((request: SipRequest) => boolean) | undefined;
  /** a CANCEL matched an INVITE server transaction that we then answered 487 (§9.2) */
  onCancelled(invite: SipRequest): void;
  /** a handler threw (a programmer fault): reported, never thrown into the socket callback */
  onHandlerError(error: unknown): void;
}

/** §8.2.3 media types when the handler names none; OPTIONS bodies are session descriptions (§11.2) */
const ANY_TYPE: readonly string[] = ['*/*'];
const OPTIONS_TYPES: readonly string[] = ['application/sdp'];

export class UasDispatcher {
  readonly #handlers = new Map<string, Registered>();
  readonly #options: UasDispatcherOptions;
  /** allowedMethods(), kept until the handlers change (issue 18: not rebuilt per request) */
  #allowed: readonly string[] | null = null;

  constructor(options: UasDispatcherOptions) {
    this.#options = options;
  }

  register(method: string, handler: RequestHandler, options: RequestHandlerOptions = {}): () => void {
    const key = method.toUpperCase();
    const entry = { handler, options };
    this.#handlers.set(key, entry);
    this.#allowed = null;
    return () => {
      if (this.#handlers.get(key) === entry) {
        this.#handlers.delete(key);
        this.#allowed = null;
      }
    };
  }

  /** §20.5 Allow: the methods we have handlers for, plus ACK, CANCEL and OPTIONS which the core handles */
  allowedMethods(): string[] {
    return [...this.#allowedMethods()];
  }

  #allowedMethods(): readonly string[] {
    return (this.#allowed ??= [...new Set([...this.#handlers.keys(), 'ACK', 'CANCEL', 'OPTIONS'])]);
  }

  dispatch(request: SipRequest, tx: ServerTransaction, inbound: InboundMessage): void {
    if (request.method === 'CANCEL') {
      this.#cancel(request, tx);
      return;
    }
    const registered = this.#handlers.get(request.method);
    const dialogExists = this.#options.dialogExists();
    const result = checkRequest(request, {
      allowedMethods: this.#allowedMethods(),
      acceptedTypes: registered?.options.acceptedTypes ?? (request.method === 'OPTIONS' ? OPTIONS_TYPES : ANY_TYPE),
      supportedExtensions: this.#options.supportedExtensions,
      mergedRequestDetector: this.#options.merged,
      addressedToUs: this.#options.addressedToUs,
      dialogExists,
    });
    if (result.kind === 'reject') {
      tx.respond(result.response);
      return;
    }
    if (result.kind === 'discard') return;
    if (registered === undefined) {
      // §11.2: OPTIONS answered as an INVITE would be, listing what we support
      tx.respond(createResponse(request, 200, undefined, { toTag: newTag(), headers: [['Allow', this.#allowedMethods().join(', ')], ['Accept', 'text/plain, message/cpim, application/im-iscomposing+xml, application/sdp']] }));
      return;
    }
    try {
      registered.handler(request, tx, inbound);
    } catch (err) {
      // a handler fault must not escape into the socket callback; the request still gets an answer
      if (tx.lastResponse === undefined || tx.lastResponse.status < 200) {
        tx.respond(createResponse(request, 500, 'Server Internal Error', { toTag: newTag() }));
      }
      this.#options.onHandlerError(err);
    }
  }

  /** §9.2: 200 to the CANCEL and 487 to the INVITE still pending; 481 when nothing matches. */
  #cancel(cancel: SipRequest, tx: ServerTransaction): void {
    const invite = this.#options.transactions().findInviteServerTransaction(cancel);
    if (invite === undefined) {
      tx.respond(createResponse(cancel, 481, undefined, { toTag: newTag() }));
      return;
    }
    const last = invite.lastResponse;
    const toTag = last?.toTag ?? newTag();
    tx.respond(createResponse(cancel, 200, undefined, { toTag }));
    if (last === undefined || last.status < 200) {
      invite.respond(createResponse(invite.request, 487, undefined, { toTag }));
      this.#options.onCancelled(invite.request);
    }
  }

  /** §8.2 / §18.3: the stateless 400 (or 505) for a request the parser rejected, when it can be routed. */
  answerUnparsable(error: SipParseError, source: Endpoint): void {
    const response = badRequestFor(error);
    if (response === null) return;
    const via = readTopVia(response);
    if (via === null) return;
    this.#options.transport.send(response, responseDestination(via, source)).catch(() => undefined);
  }
}
