// Wan2.2 diffusers snapshots in the Hugging Face cache, used where they are. A snapshot folder
// (<hub>/models--Wan-AI--<repo>/snapshots/<commit>/) is a complete diffusers folder whose files are
// links into blobs/; huggingface_hub links a file there only once it is fully downloaded, and
// refs/main names the commit the last download resolved `main` to.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { DIFFUSERS_MODELS, WAN_MODEL_IDS, WEIGHT_STEMS, type DiffusersModelSpec, type WanModelId } from './catalog'

export interface HubCacheLocation {
  /** The hub cache folder, or null when the environment names an unusable one. */
  path: string | null
  /** Which setting chose it: HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME, XDG_CACHE_HOME or the default. */
  from: string
  problem: string | null
}

/** `~` as huggingface_hub's os.path.expanduser reads it. */
function expandHome(value: string, home: string): string {
  return value === '~' || value.startsWith('~/') || value.startsWith('~\\') ? join(home, value.slice(1)) : value
}

/**
 * The hub cache as huggingface_hub's constants.py finds it: HF_HUB_CACHE, else the legacy
 * HUGGINGFACE_HUB_CACHE, else <HF_HOME>/hub, with HF_HOME defaulting to <XDG_CACHE_HOME or ~/.cache>/huggingface.
 */
export function hubCacheLocation(env: NodeJS.ProcessEnv, home: string = homedir()): HubCacheLocation {
  const pick = (name: string, value: string): HubCacheLocation => {
    const expanded = expandHome(value, home)
    if (!isAbsolute(expanded)) return { path: null, from: name, problem: `${name} is "${value}", a relative path; the app can't tell what it is relative to` }
    return { path: expanded, from: name, problem: null }
  }
  if (env.HF_HUB_CACHE) return pick('HF_HUB_CACHE', env.HF_HUB_CACHE)
  if (env.HUGGINGFACE_HUB_CACHE) return pick('HUGGINGFACE_HUB_CACHE', env.HUGGINGFACE_HUB_CACHE)
  if (env.HF_HOME) {
    const location = pick('HF_HOME', env.HF_HOME)
    return location.path ? { ...location, path: join(location.path, 'hub') } : location
  }
  if (env.XDG_CACHE_HOME) {
    const location = pick('XDG_CACHE_HOME', env.XDG_CACHE_HOME)
    return location.path ? { ...location, path: join(location.path, 'huggingface', 'hub') } : location
  }
  return { path: join(home, '.cache', 'huggingface', 'hub'), from: 'the default', problem: null }
}

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** One component's weight files: a single file, or an index and every shard it names. */
function weightFilesMissing(folder: string, stem: string): string[] {
  if (isFile(join(folder, `${stem}.safetensors`))) return []
  const index = join(folder, `${stem}.safetensors.index.json`)
  if (!isFile(index)) return [join(folder, `${stem}.safetensors`)]
  let shards: string[]
  try {
    const parsed = JSON.parse(readFileSync(index, 'utf8')) as { weight_map?: Record<string, string> }
    shards = [...new Set(Object.values(parsed.weight_map ?? {}))].sort()
    if (shards.length === 0) return [`${index} (names no shards)`]
  } catch {
    return [`${index} (unreadable)`]
  }
  return shards.map((shard) => join(folder, shard)).filter((shard) => !isFile(shard))
}

/** Every file a diffusers folder of this model lacks (presence only: the sidecar checks contents). */
export function diffusersFolderMissing(folder: string, spec: DiffusersModelSpec): string[] {
  const missing: string[] = []
  if (!isFile(join(folder, 'model_index.json'))) missing.push(join(folder, 'model_index.json'))
  for (const [name, kind] of Object.entries(spec.components)) {
    const component = join(folder, name)
    const config = kind === 'scheduler' ? 'scheduler_config.json' : kind === 'tokenizer' ? 'tokenizer_config.json' : 'config.json'
    if (!isFile(join(component, config))) missing.push(join(component, config))
    if (kind === 'tokenizer' && !isFile(join(component, 'tokenizer.json')) && !isFile(join(component, 'spiece.model'))) {
      missing.push(join(component, 'tokenizer.json'))
    }
    const stem = WEIGHT_STEMS[kind]
    if (stem) missing.push(...weightFilesMissing(component, stem))
  }
  return missing
}

export interface CachedSnapshot {
  model: WanModelId
  repo: string
  /** The snapshot folder: a diffusers model folder, usable in place. */
  path: string
  revision: string
  /** Whether refs/main points at this snapshot (else it is an older or pinned download). */
  isMain: boolean
  complete: boolean
  missing: string[]
}

function readRef(repoDir: string): string | null {
  try {
    const ref = readFileSync(join(repoDir, 'refs', 'main'), 'utf8').trim()
    return /^[0-9a-f]{40}$/.test(ref) ? ref : null
  } catch {
    return null
  }
}

/**
 * Each Wan2.2 model's best snapshot in the hub cache: the one refs/main names when it is complete,
 * else any complete one, else the refs/main one (or the first) with what it lacks.
 */
export function findCachedSnapshots(hubCache: string): CachedSnapshot[] {
  const found: CachedSnapshot[] = []
  for (const model of WAN_MODEL_IDS) {
    const spec = DIFFUSERS_MODELS[model]
    const repoDir = join(hubCache, `models--Wan-AI--${spec.repoName}`)
    const snapshotsDir = join(repoDir, 'snapshots')
    if (!existsSync(snapshotsDir)) continue
    const main = readRef(repoDir)
    const revisions = readdirSync(snapshotsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
    const snapshots = revisions.map((revision): CachedSnapshot => {
      const path = join(snapshotsDir, revision)
      const missing = diffusersFolderMissing(path, spec)
      return { model, repo: `Wan-AI/${spec.repoName}`, path, revision, isMain: revision === main, complete: missing.length === 0, missing }
    })
    const best =
      snapshots.find((snapshot) => snapshot.isMain && snapshot.complete) ??
      snapshots.find((snapshot) => snapshot.complete) ??
      snapshots.find((snapshot) => snapshot.isMain) ??
      snapshots[0]
    if (best) found.push(best)
  }
  return found
}
