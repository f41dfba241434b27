/** Branded ids: plain strings at run time, distinct types at compile time. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type AccountId = Brand<string, 'AccountId'>;
export type ContactId = Brand<string, 'ContactId'>;
export type ConversationId = Brand<string, 'ConversationId'>;
export type MessageId = Brand<string, 'MessageId'>;
export type CallId = Brand<string, 'CallId'>;

/** Milliseconds since the Unix epoch. */
export type EpochMs = number;
