/**
 * ITU-T G.722 (09/2012) 7 kHz audio at 64 kbit/s: 16 kHz PCM split by the 24-tap QMF (§3.1) into a
 * lower band coded by 6-bit ADPCM and a higher band by 2-bit ADPCM (§3.2-§3.6; block 1L-6L / 1H-6H),
 * one octet per pair of 16 kHz samples (8000 octets a second, hence RTP clock 8000, RFC 3551 §4.5.2).
 * Decoder in mode 1 (64 kbit/s: all 6 lower-band bits used). Calls use it through audio-pipeline.ts when
 * G.722 is negotiated; proven bit-exact against spandsp's G.722 (the codec baresip uses) in the unit tests.
 */

const QMF = [3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11] as const;
/** §3.2.2 Table 6: lower-band quantizer decision levels (×8) */
const Q6 = [0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919, 0, 0];
const ILN = [0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 0];
const ILP = [0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 0];
const WL = [-60, -30, 58, 172, 334, 538, 1198, 3042];
const RL42 = [0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0];
const ILB = [2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008];
const QM4 = [0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0];
const QM6 = [
  -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856, -7192, -6576, -6000, -5456,
  -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232,
  9360, 8576, 7856, 7192, 6576, 6000, 5456, 4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432, -136,
];
const QM2 = [-7408, -1616, 7408, 1616];
const IHN = [0, 1, 0];
const IHP = [0, 3, 2];
const WH = [0, -214, 798];
const RH2 = [2, 1, 2, 1];

const sat16 = (v: number): number => (v > 32767 ? 32767 : v < -32768 ? -32768 : v);

/** one band's ADPCM predictor and scale factor (§3.5-§3.6, block 4) */
class Band {
  s = 0;
  sp = 0;
  sz = 0;
  readonly r = [0, 0, 0];
  readonly a = [0, 0, 0];
  readonly ap = [0, 0, 0];
  readonly p = [0, 0, 0];
  readonly d = [0, 0, 0, 0, 0, 0, 0];
  readonly b = [0, 0, 0, 0, 0, 0, 0];
  readonly bp = [0, 0, 0, 0, 0, 0, 0];
  readonly sg = [0, 0, 0, 0, 0, 0, 0];
  nb = 0;
  det: number;

  constructor(det: number) {
    this.det = det;
  }
}

/** block 4: the band's predictor updated with the quantized difference `d` */
function updateBand(b: Band, d: number): void {
  // RECONS, PARREC
  b.d[0] = d;
  b.r[0] = sat16(b.s + d);
  b.p[0] = sat16(b.sz + d);
  // UPPOL2
  for (let i = 0; i < 3; i++) b.sg[i] = (b.p[i] as number) >> 15;
  let wd1 = sat16((b.a[1] as number) << 2);
  let wd2 = b.sg[0] === b.sg[1] ? -wd1 : wd1;
  if (wd2 > 32767) wd2 = 32767;
  let wd3 = (wd2 >> 7) + (b.sg[0] === b.sg[2] ? 128 : -128);
  wd3 += ((b.a[2] as number) * 32512) >> 15;
  if (wd3 > 12288) wd3 = 12288;
  else if (wd3 < -12288) wd3 = -12288;
  b.ap[2] = wd3;
  // UPPOL1
  b.sg[0] = (b.p[0] as number) >> 15;
  b.sg[1] = (b.p[1] as number) >> 15;
  wd1 = b.sg[0] === b.sg[1] ? 192 : -192;
  wd2 = ((b.a[1] as number) * 32640) >> 15;
  b.ap[1] = sat16(wd1 + wd2);
  wd3 = sat16(15360 - (b.ap[2] as number));
  if ((b.ap[1] as number) > wd3) b.ap[1] = wd3;
  else if ((b.ap[1] as number) < -wd3) b.ap[1] = -wd3;
  // UPZERO
  wd1 = d === 0 ? 0 : 128;
  b.sg[0] = d >> 15;
  for (let i = 1; i < 7; i++) {
    b.sg[i] = (b.d[i] as number) >> 15;
    wd2 = b.sg[i] === b.sg[0] ? wd1 : -wd1;
    wd3 = ((b.b[i] as number) * 32640) >> 15;
    b.bp[i] = sat16(wd2 + wd3);
  }
  // DELAYA
  for (let i = 6; i > 0; i--) {
    b.d[i] = b.d[i - 1] as number;
    b.b[i] = b.bp[i] as number;
  }
  for (let i = 2; i > 0; i--) {
    b.r[i] = b.r[i - 1] as number;
    b.p[i] = b.p[i - 1] as number;
    b.a[i] = b.ap[i] as number;
  }
  // FILTEP
  wd1 = sat16((b.r[1] as number) + (b.r[1] as number));
  wd1 = ((b.a[1] as number) * wd1) >> 15;
  wd2 = sat16((b.r[2] as number) + (b.r[2] as number));
  wd2 = ((b.a[2] as number) * wd2) >> 15;
  b.sp = sat16(wd1 + wd2);
  // FILTEZ
  b.sz = 0;
  for (let i = 6; i > 0; i--) {
    wd1 = sat16((b.d[i] as number) + (b.d[i] as number));
    b.sz += ((b.b[i] as number) * wd1) >> 15;
  }
  b.sz = sat16(b.sz);
  // PREDIC
  b.s = sat16(b.sp + b.sz);
}

/** LOGSCL + SCALEL (lower band) */
function lowerScale(band: Band, il4: number): void {
  let nb = ((band.nb * 127) >> 7) + (WL[RL42[il4] as number] as number);
  if (nb < 0) nb = 0;
  else if (nb > 18432) nb = 18432;
  band.nb = nb;
  const wd1 = (nb >> 6) & 31;
  const wd2 = 8 - (nb >> 11);
  const wd3 = wd2 < 0 ? (ILB[wd1] as number) << -wd2 : (ILB[wd1] as number) >> wd2;
  band.det = wd3 << 2;
}

/** LOGSCH + SCALEH (higher band) */
function higherScale(band: Band, ih2: number): void {
  let nb = ((band.nb * 127) >> 7) + (WH[ih2] as number);
  if (nb < 0) nb = 0;
  else if (nb > 22528) nb = 22528;
  band.nb = nb;
  const wd1 = (nb >> 6) & 31;
  const wd2 = 10 - (nb >> 11);
  const wd3 = wd2 < 0 ? (ILB[wd1] as number) << -wd2 : (ILB[wd1] as number) >> wd2;
  band.det = wd3 << 2;
}

/** The QMF delay line shared by encoder and decoder (24 taps). */
class Qmf {
  readonly x = new Array<number>(24).fill(0);
}

export class G722Encoder {
  readonly #low = new Band(32);
  readonly #high = new Band(8);
  readonly #qmf = new Qmf();

  /** 16 kHz PCM (an even number of samples) → one octet per pair */
  encode(pcm: Int16Array): Uint8Array {
    const out = new Uint8Array(pcm.length >> 1);
    const x = this.#qmf.x;
    for (let j = 0, o = 0; j + 1 < pcm.length; j += 2, o++) {
      // §3.1 transmit QMF: shift two samples in, then the two sums
      for (let i = 0; i < 22; i++) x[i] = x[i + 2] as number;
      x[22] = pcm[j] as number;
      x[23] = pcm[j + 1] as number;
      let sumeven = 0;
      let sumodd = 0;
      for (let i = 0; i < 12; i++) {
        sumodd += (x[2 * i] as number) * (QMF[i] as number);
        sumeven += (x[2 * i + 1] as number) * (QMF[11 - i] as number);
      }
      const xlow = (sumeven + sumodd) >> 14;
      const xhigh = (sumeven - sumodd) >> 14;
      // lower band: SUBTL, QUANTL
      const el = sat16(xlow - this.#low.s);
      const wd = el >= 0 ? el : -(el + 1);
      let i = 1;
      for (; i < 30; i++) if (wd < (((Q6[i] as number) * this.#low.det) >> 12)) break;
      const ilow = el < 0 ? (ILN[i] as number) : (ILP[i] as number);
      // INVQAL: the 4-bit difference feeds the predictor
      const ril = ilow >> 2;
      const dlow = ((this.#low.det * (QM4[ril] as number)) >> 15);
      lowerScale(this.#low, ril);
      updateBand(this.#low, dlow);
      // higher band: SUBTH, QUANTH
      const eh = sat16(xhigh - this.#high.s);
      const whd = eh >= 0 ? eh : -(eh + 1);
      const wd1 = (564 * this.#high.det) >> 12;
      const mih = whd >= wd1 ? 2 : 1;
      const ihigh = eh < 0 ? (IHN[mih] as number) : (IHP[mih] as number);
      const dhigh = (this.#high.det * (QM2[ihigh] as number)) >> 15;
      higherScale(this.#high, RH2[ihigh] as number);
      updateBand(this.#high, dhigh);
      out[o] = (ihigh << 6) | ilow;
    }
    return out;
  }
}

export class G722Decoder {
  readonly #low = new Band(32);
  readonly #high = new Band(8);
  readonly #qmf = new Qmf();

  /** octets → 16 kHz PCM, two samples each (mode 1, 64 kbit/s) */
  decode(data: Uint8Array): Int16Array {
    const out = new Int16Array(data.length * 2);
    const x = this.#qmf.x;
    for (let j = 0, o = 0; j < data.length; j++) {
      const code = data[j] as number;
      const wd1 = code & 0x3f;
      const ihigh = (code >> 6) & 0x03;
      // lower band: INVQBL (6-bit reconstruction) and INVQAL (4-bit for the predictor)
      const wd2 = QM6[wd1] as number;
      const ril = wd1 >> 2;
      let rlow = this.#low.s + ((this.#low.det * wd2) >> 15);
      if (rlow > 16383) rlow = 16383;
      else if (rlow < -16384) rlow = -16384;
      const dlow = (this.#low.det * (QM4[ril] as number)) >> 15;
      lowerScale(this.#low, ril);
      updateBand(this.#low, dlow);
      // higher band
      const dhigh = (this.#high.det * (QM2[ihigh] as number)) >> 15;
      let rhigh = dhigh + this.#high.s;
      if (rhigh > 16383) rhigh = 16383;
      else if (rhigh < -16384) rhigh = -16384;
      higherScale(this.#high, RH2[ihigh] as number);
      updateBand(this.#high, dhigh);
      // §3.1 receive QMF
      for (let i = 0; i < 22; i++) x[i] = x[i + 2] as number;
      x[22] = rlow + rhigh;
      x[23] = rlow - rhigh;
      let xout1 = 0;
      let xout2 = 0;
      for (let i = 0; i < 12; i++) {
        xout2 += (x[2 * i] as number) * (QMF[i] as number);
        xout1 += (x[2 * i + 1] as number) * (QMF[11 - i] as number);
      }
      out[o++] = sat16(xout1 >> 11);
      out[o++] = sat16(xout2 >> 11);
    }
    return out;
  }
}
