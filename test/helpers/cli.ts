// Runs the built CLI (bin/wan-studio.cjs, which loads out/main/cli.js) as a user would.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { repoRoot } from './studio'

export const CLI_BIN = join(repoRoot, 'bin', 'wan-studio.cjs')

export type CliRun = { code: number; stdout: string; stderr: string }

/** The exit code (1 when killed or timed out), stdout and stderr of one run of a Node script. */
export function runNodeScript(script: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string; maxBuffer?: number }): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { env: options.env, cwd: options.cwd, timeout: 240_000, maxBuffer: options.maxBuffer }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
    })
  })
}

/** The exit code (1 when killed or timed out), stdout and stderr of one run of the CLI. */
export function runCli(args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string; maxBuffer?: number }): Promise<CliRun> {
  return runNodeScript(CLI_BIN, args, options)
}
