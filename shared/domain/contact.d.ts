import type { ContactId, EpochMs } from './ids.ts';
export interface ContactDto {
    readonly id: ContactId;
    readonly displayName: string;
    /** sip:, sips: or im: address */
    readonly address: string;
    readonly note: string;
    readonly createdAt: EpochMs;
}
export interface ContactInput {
    readonly id: ContactId | null;
    readonly displayName: string;
    readonly address: string;
    readonly note: string;
}
