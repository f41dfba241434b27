/**
 * One direction of a call's audio between the app's PCM and a codec's payload: the encoder (or decoder)
 * of the negotiated codec (G.711 µ-law/A-law at 8 kHz, G.722 at 16 kHz) and the 2:1 rate conversion when
 * the app's rate is not the codec's (rate-converter.ts). The app may run at 8 or 16 kHz; 16 kHz keeps
 * G.722's 50-7000 Hz band end to end, 8 kHz is what G.711 carries (300-3400 Hz).
 */
import { G722, PCMA, PCMU, type AudioCodec } from './audio-codecs.ts';
import { ALAW_SILENCE, decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw, MULAW_SILENCE } from './g711.ts';
import { G722Decoder, G722Encoder } from './g722.ts';
import { RateConverter, type PcmRate } from './rate-converter.ts';

/** the codec of a payload type: the negotiated one, else the RFC 3551 static types we decode */
export function codecOfPayloadType(pt: number, negotiated: AudioCodec): AudioCodec | null {
  if (pt === negotiated.payloadType) return negotiated;
  return [PCMU, PCMA, G722].find((c) => c.payloadType === pt) ?? null;
}

export class AudioEncoderPipe {
  readonly codec: AudioCodec;
  readonly #rate: RateConverter;
  readonly #g722: G722Encoder | null;

  constructor(codec: AudioCodec, appRate: PcmRate) {
    this.codec = codec;
    this.#rate = new RateConverter(appRate, codec.sampleRate);
    this.#g722 = codec.name === 'G722' ? new G722Encoder() : null;
  }

  /** one app frame → one payload */
  encode(frame: Int16Array): Uint8Array {
    const pcm = this.#rate.convert(frame);
    if (this.#g722 !== null) return this.#g722.encode(pcm);
    return this.codec.name === 'PCMU' ? encodeMulaw(pcm) : encodeAlaw(pcm);
  }

  /**
   * A silent payload for `appSamples` of app audio: G.711's silence octet; for G.722 the encoder runs
   * on zeros so its predictor stays in step with the far end's decoder.
   */
  silence(appSamples: number): Uint8Array {
    if (this.#g722 !== null) return this.encode(new Int16Array(appSamples));
    const octets = (appSamples * 8000) / this.#rate.from;
    return new Uint8Array(octets).fill(this.codec.name === 'PCMU' ? MULAW_SILENCE : ALAW_SILENCE);
  }
}

export class AudioDecoderPipe {
  readonly codec: AudioCodec;
  readonly #rate: RateConverter;
  readonly #g722: G722Decoder | null;

  constructor(codec: AudioCodec, appRate: PcmRate) {
    this.codec = codec;
    this.#rate = new RateConverter(codec.sampleRate, appRate);
    this.#g722 = codec.name === 'G722' ? new G722Decoder() : null;
  }

  /** one payload → app PCM */
  decode(payload: Uint8Array): Int16Array {
    const pcm = this.#g722 !== null ? this.#g722.decode(payload) : this.codec.name === 'PCMU' ? decodeMulaw(payload) : decodeAlaw(payload);
    return this.#rate.convert(pcm);
  }
}
