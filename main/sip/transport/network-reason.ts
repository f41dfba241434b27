/** Socket errors in words for TransportError / onError reasons. */
export function networkReason(err: Error): string {
  const code = (err as { code?: unknown }).code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection reset by peer';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'EADDRNOTAVAIL':
      return 'address not available';
    default:
      return err.message;
  }
}
