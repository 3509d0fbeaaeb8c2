// The set-up's log: every command and every line it wrote, in <engineDir>/setup.log (the latest run;
// the one before is kept as setup.previous.log). The app shows it and copies it; the script prints it.
import { createWriteStream, type WriteStream } from 'node:fs'
import { rename } from 'node:fs/promises'

export class SetupLog {
  private constructor(
    readonly path: string,
    private readonly stream: WriteStream,
    private readonly echo?: (line: string) => void
  ) {}

  static async open(path: string, echo?: (line: string) => void): Promise<SetupLog> {
    await rename(path, path.replace(/\.log$/, '.previous.log')).catch(() => undefined)
    const stream = createWriteStream(path, { flags: 'w' })
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve())
      stream.once('error', reject)
    })
    const log = new SetupLog(path, stream, echo)
    log.line(`engine set-up started ${new Date().toISOString()}`)
    return log
  }

  /** Bound, so it can be handed on as a callback. */
  readonly line = (text: string): void => {
    if (!this.stream.writable) return
    this.stream.write(`${text}\n`)
    this.echo?.(text)
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(() => resolve()))
  }
}
