import type { SipRequest, SipResponse } from '../message/index.ts';
import type { Endpoint, TransportLayer } from '../transport/types.ts';
import { responseDestination, responseFallbackDestination } from './response-destination.ts';
import { sendThroughTransport } from './transport-send.ts';

/**
 * Sends a server transaction's responses to where §18.2.2 says, retrying once at the fallback address
 * when the connection is gone; reports a failure only when that fails too (§17.2.4).
 */
export class ResponseSender {
  readonly #transport: TransportLayer;
  readonly #request: SipRequest;
  #endpoint: Endpoint;

  constructor(transport: TransportLayer, request: SipRequest, source: Endpoint) {
    this.#transport = transport;
    this.#request = request;
    this.#endpoint = responseDestination(request, source);
  }

  get endpoint(): Endpoint {
    return this.#endpoint;
  }

  send(response: SipResponse, onFailed: (reason: string) => void): void {
    const first = this.#endpoint;
    sendThroughTransport(
      this.#transport,
      response,
      first,
      (used) => {
        this.#endpoint = used;
      },
      (reason) => {
        // §17.2.4: "the server transaction SHOULD use the procedures in Section 18.2.2 ... If those
        // should all fail, based on the definition of failure in Section 18.4, the server transaction
        // SHOULD inform the TU that a failure has occurred".
        const fallback = responseFallbackDestination(this.#request, first);
        if (fallback === undefined) {
          onFailed(reason);
          return;
        }
        sendThroughTransport(
          this.#transport,
          response,
          fallback,
          (used) => {
            this.#endpoint = used;
          },
          onFailed,
        );
      },
    );
  }
}
