// Checks a new environment before it becomes current: its packages import, and the sidecar starts
// from it and says it is ready (the same handshake the app waits for).
import { SidecarClient } from '../sidecar/client'
import { describeFailure, runCommand } from './runCommand'

export class VerifyError extends Error {}

/** What must import: the engine's libraries, or the synthetic engine's. */
export function modulesToImport(syntheticOnly: boolean): string[] {
  return syntheticOnly ? ['numpy', 'jsonschema'] : ['numpy', 'jsonschema', 'torch', 'diffusers', 'transformers', 'accelerate', 'safetensors']
}

export async function verifyEnvironment(options: {
  python: string
  sidecarDir: string
  syntheticOnly: boolean
  env: NodeJS.ProcessEnv
  signal?: AbortSignal
  onLine: (line: string) => void
}): Promise<void> {
  const { python, env, signal, onLine } = options
  const modules = modulesToImport(options.syntheticOnly)
  const script = `import importlib, sys\nfor name in ${JSON.stringify(modules)}:\n    importlib.import_module(name)\n    print('imported', name)\nprint('python', sys.version.split()[0])`
  onLine(`$ ${python} -c <import ${modules.join(', ')}>`)
  const imported = await runCommand(python, ['-c', script], { env, signal, onLine })
  if (imported.cancelled) throw new VerifyError('cancelled')
  if (imported.exitCode !== 0) throw new VerifyError(`the new environment is broken: importing ${modules.join(', ')} failed (${describeFailure('python', imported)}); the log shows the traceback`)

  onLine('starting the sidecar from the new environment')
  let client: SidecarClient
  try {
    client = await SidecarClient.start({ python, sidecarDir: options.sidecarDir, env, signal, readyTimeoutMs: 60_000 })
  } catch (error) {
    if (signal?.aborted) throw new VerifyError('cancelled')
    const tail = (error as { stderrTail?: string[] }).stderrTail ?? []
    for (const line of tail) onLine(line)
    throw new VerifyError(`the sidecar does not start from the new environment: ${(error as Error).message}`)
  }
  onLine('the sidecar reported ready')
  await client.shutdown()
}
