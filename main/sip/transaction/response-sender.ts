import { parseMessage, type SipRequest, type SipResponse } from '../message/index.ts';
import type { Endpoint, TransportLayer } from '../transport/types.ts';
import { responseDestination, responseFallbackFor } from './response-destination.ts';
import { sendThroughTransport } from './transport-send.ts';

/**
 * Sends a server transaction's responses to where §18.2.2 says, retrying once at the fallback address
 * when the connection is gone; reports a failure only when that fails too (§17.2.4). It keeps the
 * request's top Via port, not the request: a transaction waiting in Completed holds little (issue 18).
 */
export class ResponseSender {
  readonly #transport: TransportLayer;
  readonly #viaPort: number | null | undefined;
  #endpoint: Endpoint;

  constructor(transport: TransportLayer, request: SipRequest, source: Endpoint) {
    this.#transport = transport;
    this.#viaPort = request.topVia?.port;
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
        const fallback = responseFallbackFor(this.#viaPort, first);
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

  /**
   * Sends a response serialized once (UDP: no fallback address, §18.2.2), through the transport's
   * sendSerializedResponse when it has one, else parsed back and sent as a message.
   */
  sendSerialized(bytes: Buffer, onFailed: (reason: string) => void): void {
    const transport = this.#transport;
    const destination = this.#endpoint;
    const sending = transport.sendSerializedResponse !== undefined
      ? transport.sendSerializedResponse(bytes, destination)
      : transport.send(parseMessage(bytes), destination);
    sending.then(undefined, (error: unknown) => {
      onFailed(error instanceof Error ? error.message : String(error));
    });
  }
}
