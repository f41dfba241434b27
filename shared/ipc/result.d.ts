/** IPC reply envelope (Signal Desktop style): errors cross the process boundary as data, never as throws. */
export interface IpcError {
    /** stable machine code, e.g. `invalid-request`, `not-found`, `sip-403`, `internal` */
    readonly code: string;
    /** plain words for a person */
    readonly message: string;
}
export type Result<T> = {
    readonly ok: true;
    readonly value: T;
} | {
    readonly ok: false;
    readonly error: IpcError;
};
export declare function ok<T>(value: T): Result<T>;
export declare function err<T = never>(code: string, message: string): Result<T>;
export declare function assertNever(x: never): never;
