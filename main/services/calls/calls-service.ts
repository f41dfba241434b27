/**
 * The calls service: owns every call (an INVITE session, its media and audio), implements the calls:*
 * IPC requests and emits `calls:call-changed` with a CallDto whenever a call changes. Signalling is the
 * dialog layer's (main/sip/dialog), audio the media layer's (main/media MediaSession); in-call messages
 * go through call-messages.ts. One call in focus (call-focus.ts): only the active call gets the microphone
 * and the speaker; answering, placing or resuming a call first holds the connected one (so resume is
 * swap); a call arriving while another is up is `waiting`; "Call" on a person already in a call returns
 * that call.
 */
import { randomUUID } from 'node:crypto';
import type { CallDto } from '#shared/domain/call.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { AccountId, CallId } from '#shared/domain/ids.ts';
import type { Emit } from '../../ipc/event-bus.ts';
import { ServiceError } from '../../ipc/service-error.ts';
import { InviteSession } from '../../sip/dialog/index.ts';
import type { InviteSessionEvents, InviteSessionOptions, ResponseChannel, SessionEnd } from '../../sip/dialog/index.ts';
import { createResponse, formatUri, isSipUri } from '../../sip/message/index.ts';
import type { SipRequest, Uri } from '../../sip/message/index.ts';
import type { Clock } from '../../sip/transaction/index.ts';
import { codecLabel, newCryptoAttribute, type SrtpPolicy } from '../../media/index.ts';
import type { PagerSender } from '../chats/pager.ts';
import { callStateOf, endReasonOf } from './call-dto.ts';
import { arrivesWaiting, callsToHold, liveCallWith } from './call-focus.ts';
import { CallMessages } from './call-messages.ts';
import { SessionSdp, type CallSession, type NegotiatedMedia } from './session-sdp.ts';
import type { CallAccount, CallAccounts, CallAudio, CallAudioPort, CallHistoryStore, CallMedia, CallMessageStore, OpenMedia, SrtpMode } from './call-ports.ts';

/** Fresh SDES master keys for one call, kept for all its offers (RFC 4568 §8.1: random per session). */
function srtpPolicyOf(mode: SrtpMode | undefined): { srtp?: SrtpPolicy } {
  if (mode === undefined || mode === 'off') return {};
  return { srtp: { mode, keys: [newCryptoAttribute(1, 'AES_CM_128_HMAC_SHA1_80'), newCryptoAttribute(2, 'AES_CM_128_HMAC_SHA1_32')] } };
}

export interface CallsServiceOptions {
  readonly clock: Clock;
  /** RFC 4028: the Session-Expires our calls ask for, in seconds (default 1800) */
  readonly sessionExpires?: number;
  readonly emit: Emit;
  readonly accounts: CallAccounts;
  readonly openMedia: OpenMedia;
  readonly audio: CallAudioPort;
  readonly messages: CallMessageStore;
  /** the pager-mode sender, for the 405/501 fallback of in-call messages (RFC 3428) */
  readonly pager: PagerSender | null;
  readonly now?: () => number;
  /** in-dialog is-composing (RFC 3994) goes here; without it it gets 415 */
  readonly composing?: (accountId: AccountId, peer: string, body: Buffer) => number;
  readonly newId?: () => string;
  readonly onError?: (message: string, error: unknown) => void;
  /** a blocked address (issue 10, message-requests.ts): its calls are refused like its messages */
  readonly isBlocked?: (peer: string) => boolean;
  /** the call history (issue 16): ended calls saved once and listed after a restart; without it calls live in memory only */
  readonly history?: CallHistoryStore;
}

interface LiveCall {
  dto: CallDto;
  readonly account: CallAccount;
  readonly media: CallMedia;
  session: CallSession | null;
  audio: CallAudio | null;
}

export class CallsService {
  readonly #o: CallsServiceOptions;
  readonly #calls = new Map<CallId, LiveCall>();
  readonly #messages: CallMessages;
  readonly #now: () => number;
  readonly #onError: (message: string, error: unknown) => void;
  /** the call with the microphone and the speaker */
  #active: CallId | null = null;
  /** history writes not yet done (closeAll waits for them) */
  readonly #saving = new Set<Promise<unknown>>();

  constructor(options: CallsServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? ((m, e) => console.error(m, e));
    this.#messages = new CallMessages({ store: options.messages, emit: options.emit, pager: options.pager, now: this.#now, composing: options.composing });
  }

  list(): CallDto[] {
    return [...this.#calls.values()].map((c) => c.dto);
  }

  /**
   * `calls:list`: the calls of this run (in the order they began) and then the stored history of earlier
   * runs, newest first (issue 16): what Recent calls and the conversation's call rows show after a restart.
   */
  async listWithHistory(): Promise<CallDto[]> {
    const live = this.list();
    if (this.#o.history === undefined) return live;
    const ids = new Set(live.map((c) => c.id));
    const stored = await this.#o.history.listCallHistory();
    return [...live, ...stored.filter((c) => !ids.has(c.id))];
  }

  get(callId: CallId): CallDto {
    return this.#live(callId).dto;
  }

  /** the INVITE session behind a call (for the SIP glue and tests) */
  session(callId: CallId): CallSession | null {
    return this.#calls.get(callId)?.session ?? null;
  }

  media(callId: CallId): CallMedia | null {
    return this.#calls.get(callId)?.media ?? null;
  }

  async place(accountId: AccountId | null, peer: string): Promise<CallDto> {
    const account = this.#o.accounts.resolve(accountId);
    const target = /^sips?:/i.test(peer) ? peer : `sip:${peer}`;
    // "Call" on a person already in a call brings that call forward instead of calling them twice
    const existing = liveCallWith(this.list(), account.id, target);
    if (existing !== null) return existing;
    // a second outgoing call holds the first
    await this.#holdOthers(null);
    const call = await this.#create(account, 'out', target, '');
    this.#active = call.dto.id;
    const session = InviteSession.invite(this.#sessionOptions(call), {
      target,
      from: { uri: account.aor, displayName: account.displayName },
    });
    call.session = session;
    this.#update(call, FORCE);
    return call.dto;
  }

  /** the dialog layer's onIncomingInvite for `account` */
  async incoming(account: CallAccount, request: SipRequest, channel: ResponseChannel): Promise<CallDto | null> {
    const from = request.from;
    const peer = formatPeer(from.uri);
    // a blocked caller: 403 (RFC 3261 §21.4.4) before anything rings, opens media or is recorded
    if (this.#o.isBlocked?.(peer) === true) {
      channel.respond(createResponse(request, 403, 'Forbidden'));
      return null;
    }
    const call = await this.#create(account, 'in', peer, from.displayName ?? '');
    call.dto = { ...call.dto, waiting: arrivesWaiting(this.list(), call.dto.id) };
    const session = InviteSession.incoming(this.#sessionOptions(call), request, channel);
    call.session = session;
    if (session.state === 'terminated') return call.dto;
    session.ring();
    this.#update(call, FORCE);
    return call.dto;
  }

  /** answers; a call that was up goes on hold first (call waiting) */
  answer(callId: CallId): Promise<CallDto> {
    const call = this.#live(callId);
    if (call.session?.state !== 'incoming') throw new ServiceError('invalid-state', 'This call can no longer be answered.');
    const accept = (): CallDto => {
      if (call.session?.state !== 'incoming' || !call.session.accept()) throw new ServiceError('invalid-state', 'This call can no longer be answered.');
      this.#setActive(call);
      return call.dto;
    };
    const holding = this.#holdOthers(callId);
    return holding === null ? Promise.resolve(accept()) : holding.then(accept);
  }

  decline(callId: CallId): void {
    const call = this.#live(callId);
    if (call.session?.state !== 'incoming') throw new ServiceError('invalid-state', 'This call is not ringing.');
    call.session.reject(603);
  }

  hangUp(callId: CallId): void {
    this.#live(callId).session?.hangUp();
  }

  setMuted(callId: CallId, muted: boolean): CallDto {
    const call = this.#live(callId);
    call.media.setMuted(muted);
    this.#update(call, { muted });
    return call.dto;
  }

  /** hold, or resume: resuming a held call first holds the one that is up (swap) */
  async setHeld(callId: CallId, held: boolean): Promise<CallDto> {
    const call = this.#live(callId);
    if (call.session?.state !== 'confirmed') throw new ServiceError('invalid-state', 'Only a connected call can be put on hold.');
    if (held && this.#active === callId) this.#setActive(null);
    const holding = held ? null : this.#holdOthers(callId);
    if (holding !== null) await holding;
    const session = call.session;
    if (session?.state !== 'confirmed') throw new ServiceError('invalid-state', 'Only a connected call can be put on hold.');
    // RFC 3264 §8.4: we hold with a=sendonly and send only silence from the moment the user asks
    // (the microphone never reaches a held party); on resume the microphone comes back once accepted
    if (held) call.media.setHeld(true);
    const ok = await session.setHold(held);
    call.media.setHeld(session.sdp.hold);
    if (!held && !session.sdp.hold && session.state === 'confirmed') this.#setActive(call);
    if (!ok && session.state === 'confirmed') throw new ServiceError('sip-hold', held ? 'The other side did not accept the hold.' : 'The other side did not accept the resume.');
    return call.dto;
  }

  sendDtmf(callId: CallId, digits: string): void {
    const call = this.#live(callId);
    if (call.session?.state !== 'confirmed') throw new ServiceError('invalid-state', 'The call is not connected.');
    if (!/^[0-9*#A-D]+$/i.test(digits)) throw new ServiceError('invalid-input', 'Only 0-9, *, # and A-D can be sent.');
    if (!call.media.sendDtmf(digits.toUpperCase())) throw new ServiceError('dtmf-unsupported', 'The other side does not take key presses (RFC 4733).');
  }

  async sendMessage(callId: CallId, body: string): Promise<MessageDto> {
    const call = this.#live(callId);
    const session = call.session;
    if (session?.state !== 'confirmed' || session.dialog === null) throw new ServiceError('invalid-state', 'Messages can be sent in a call once it is connected.');
    if (body.trim() === '') throw new ServiceError('invalid-input', 'The message is empty.');
    return this.#messages.send(this.#chat(call, session), body, (e) => this.#onError('in-call message delivery failed', e));
  }

  /** hangs up everything (shutdown) */
  async closeAll(): Promise<void> {
    for (const call of this.#calls.values()) call.session?.hangUp();
    await Promise.all([...this.#calls.values()].map((c) => c.media.close()));
    await Promise.all([...this.#saving]);
  }

  async #create(account: CallAccount, direction: 'in' | 'out', peer: string, peerName: string): Promise<LiveCall> {
    const id = (this.#o.newId ?? randomUUID)() as CallId;
    let call: LiveCall | null = null;
    const media = await this.#o.openMedia({
      bindAddress: account.mediaAddress,
      // only the active call reaches the speaker
      onAudio: (pcm) => {
        if (call !== null && this.#active === call.dto.id) call.audio?.play(pcm);
      },
      // the far end vanished (no RTP/RTCP for the timeout): BYE and end the call as "connection lost"
      onInactive: () => call?.session?.hangUp('connection lost', 'network'),
      onDtmf: (digit) => {
        if (call !== null) this.#dtmf(call, digit);
      },
    });
    call = {
      account,
      media,
      session: null,
      audio: null,
      dto: {
        id, accountId: account.id, direction, peer, peerName, state: direction === 'in' ? 'incoming' : 'dialing',
        muted: false, onHold: false, remoteHold: false, waiting: false, active: false, encrypted: false, codec: null, wideband: false, dtmfReceived: '', startedAt: this.#now(), connectedAt: null, endedAt: null, endReason: null,
      },
    };
    this.#calls.set(id, call);
    return call;
  }

  #sessionOptions(call: LiveCall): InviteSessionOptions<NegotiatedMedia> {
    const events: InviteSessionEvents<NegotiatedMedia> = {
      // 'terminated' is reported once, with its reason, by onTerminated (one `ended` event)
      onState: (state) => {
        if (state !== 'terminated') this.#update(call, {});
      },
      onMedia: (m) => this.#media(call, m),
      onDtmf: (digit) => this.#dtmf(call, digit),
      onTerminated: (end) => this.#ended(call, end),
      onMessage: (request) => {
        const session = call.session;
        return session === null ? 481 : this.#messages.receive(this.#chat(call, session), request);
      },
    };
    return {
      ua: call.account.ua,
      layer: call.account.layer,
      clock: this.#o.clock,
      ...(this.#o.sessionExpires !== undefined ? { sessionExpires: this.#o.sessionExpires } : {}),
      localContact: call.account.contact(),
      sdp: new SessionSdp({ address: call.account.mediaAddress, port: call.media.localPort, ...srtpPolicyOf(call.account.srtp) }),
      events,
    };
  }

  #chat(call: LiveCall, session: CallSession) {
    return { id: call.dto.id, accountId: call.account.id, peer: call.dto.peer, peerName: call.dto.peerName, session };
  }

  #media(call: LiveCall, m: NegotiatedMedia): void {
    const result = call.media.start(m.local, m.remote);
    if (!result.ok) this.#onError(`media for call ${call.dto.id}: ${result.reason}`, null);
    // only the active call gets the microphone (a held or waiting one sends silence: MediaSession underrun)
    call.audio ??= this.#o.audio.open(call.dto.id, (pcm) => {
      if (this.#active === call.dto.id) call.media.pushFrame(pcm);
    });
    const session = call.session;
    const codec = result.ok ? { codec: codecLabel(result.audio.codec), wideband: result.audio.codec.sampleRate > 8000 } : {};
    this.#update(call, { onHold: session?.sdp.hold ?? false, remoteHold: session?.sdp.remoteHolds ?? false, encrypted: call.media.encrypted === true, ...codec });
  }

  /** a key the far end pressed (RFC 4733 or SIP INFO): shown on the call, the last 32 kept */
  #dtmf(call: LiveCall, digit: string): void {
    if (call.dto.state === 'ended') return;
    this.#update(call, { dtmfReceived: (call.dto.dtmfReceived + digit).slice(-32) });
  }

  #ended(call: LiveCall, end: SessionEnd): void {
    if (this.#active === call.dto.id) this.#active = null;
    call.audio?.close();
    call.audio = null;
    void call.media.close().catch((e: unknown) => this.#onError('closing media', e));
    this.#update(call, { state: 'ended', endedAt: this.#now(), endReason: endReasonOf(end) });
    this.#save(call.dto);
  }

  /** one history write per call, when it ends (never per state change) */
  #save(dto: CallDto): void {
    const history = this.#o.history;
    if (history === undefined) return;
    const write = history.saveEndedCall(dto).catch((e: unknown) => this.#onError(`saving call ${dto.id} to the history`, e));
    this.#saving.add(write);
    void write.finally(() => this.#saving.delete(write));
  }

  #update(call: LiveCall, patch: Partial<CallDto>): void {
    const session = call.session;
    const next = { ...call.dto, ...patch };
    const onHold = patch.onHold ?? next.onHold;
    const state = session === null ? next.state : callStateOf(session.state, onHold);
    const connectedAt = next.connectedAt ?? (state === 'connected' || state === 'held' ? this.#now() : null);
    const active = this.#active === next.id && state !== 'ended' && state !== 'incoming';
    const dto: CallDto = { ...next, state, connectedAt, active, waiting: next.waiting && state === 'incoming' };
    const before = call.dto;
    call.dto = dto;
    if (!sameDto(before, dto) || patch === FORCE) this.#o.emit('calls:call-changed', dto);
  }

  /** gives the microphone and speaker to `call` (null: to nobody) and tells both calls' DTOs */
  #setActive(call: LiveCall | null): void {
    const before = this.#active === null ? undefined : this.#calls.get(this.#active);
    this.#active = call?.dto.id ?? null;
    if (before !== undefined && before !== call) this.#update(before, {});
    if (call !== null) this.#update(call, {});
  }

  /** puts every connected call but `except` on hold (RFC 3264 §8.4); null when there is none */
  #holdOthers(except: CallId | null): Promise<void> | null {
    const others = callsToHold(this.list(), except);
    if (others.length === 0) return null;
    return Promise.all(
      others.map((c) => this.setHeld(c.id, true).catch((e: unknown) => this.#onError(`holding call ${c.id}`, e))),
    ).then(() => undefined);
  }

  #live(callId: CallId): LiveCall {
    const call = this.#calls.get(callId);
    if (call === undefined) throw new ServiceError('not-found', 'That call no longer exists.');
    return call;
  }
}

const FORCE: Partial<CallDto> = {};

function sameDto(a: CallDto, b: CallDto): boolean {
  return (Object.keys(b) as (keyof CallDto)[]).every((k) => a[k] === b[k]);
}

/** the peer's address without parameters: sip:user@host */
function formatPeer(uri: Uri): string {
  if (!isSipUri(uri)) return formatUri(uri);
  return `${uri.scheme}:${uri.user !== null ? `${uri.user}@` : ''}${uri.host}`;
}
