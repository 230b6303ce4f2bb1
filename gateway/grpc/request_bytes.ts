/**
 * The wire size of each decoded gRPC request, kept beside the message (the
 * definitions decode, `scs_service.ts` counts the size against the cache's
 * throughput limit).
 *
 * @module
 */

const sizes = new WeakMap<object, number>();

/**
 * Records the size a request message was decoded from.
 *
 * @param message the decoded request
 * @param bytes its size on the wire
 */
export function recordRequestBytes(message: object, bytes: number): void {
  sizes.set(message, bytes);
}

/**
 * The size a request was decoded from; 0 for one built in process.
 *
 * @param message a request message
 * @returns its wire size in bytes
 */
export function requestBytes(message: object): number {
  return sizes.get(message) ?? 0;
}
