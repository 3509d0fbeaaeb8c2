// Errors a shot render understands, whatever runs its segments (the local sidecar today, a cluster
// worker later): the executor translates its own errors into these.

/** The engine ran out of GPU or host memory; `phase` says where (load, encode, denoise, decode). */
export class OutOfMemoryError extends Error {
  constructor(
    message: string,
    readonly phase: string | null,
    readonly data: unknown = null
  ) {
    super(message)
    this.name = 'OutOfMemoryError'
  }
}

/** A segment file that is not what the engine said it wrote (wrong frame count, size, undecodable). */
export class SegmentVerificationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SegmentVerificationError'
  }
}
