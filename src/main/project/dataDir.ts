import { homedir } from 'node:os'
import { join } from 'node:path'

/** Where renders and settings live; the app and the CLI share it so either can resume the other's jobs. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WAN_STUDIO_HOME) return env.WAN_STUDIO_HOME
  if (process.platform === 'win32') return join(env.APPDATA || join(homedir(), 'AppData', 'Roaming'), 'Wan Studio')
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Wan Studio')
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'wan-studio')
}

export function rendersDir(dataDir: string): string {
  return join(dataDir, 'renders')
}
