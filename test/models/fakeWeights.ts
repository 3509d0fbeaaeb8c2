// Fake weight trees for the weight-source tests: empty files with the real names and layouts.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { DIFFUSERS_MODELS, type WanModelId } from '../../src/main/models/catalog'

function touch(path: string, content = ''): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, content)
}

/** The files (relative path -> content) of a complete diffusers folder, sharded like the published repos. */
export function diffusersFiles(model: WanModelId): Map<string, string> {
  const files = new Map<string, string>([['model_index.json', '{}']])
  for (const [name, kind] of Object.entries(DIFFUSERS_MODELS[model].components)) {
    if (kind === 'scheduler') files.set(`${name}/scheduler_config.json`, '{}')
    if (kind === 'tokenizer') {
      files.set(`${name}/tokenizer_config.json`, '{}')
      files.set(`${name}/spiece.model`, '')
    }
    if (kind === 'transformers' || kind === 'diffusers') files.set(`${name}/config.json`, '{}')
    const stem = kind === 'transformers' ? 'model' : 'diffusion_pytorch_model'
    if (name === 'vae') files.set(`${name}/${stem}.safetensors`, '')
    else if (kind === 'transformers' || kind === 'diffusers') {
      const shards = [`${stem}-00001-of-00002.safetensors`, `${stem}-00002-of-00002.safetensors`]
      files.set(`${name}/${stem}.safetensors.index.json`, JSON.stringify({ weight_map: { 'a.weight': shards[0], 'b.weight': shards[1], 'c.weight': shards[1] } }))
      for (const shard of shards) files.set(`${name}/${shard}`, '')
    }
  }
  return files
}

export function writeDiffusersFolder(folder: string, model: WanModelId, leaveOut: string[] = []): void {
  for (const [file, content] of diffusersFiles(model)) if (!leaveOut.includes(file)) touch(join(folder, file), content)
}

/**
 * A hub cache repo as huggingface_hub leaves it: blobs/<hash>, snapshots/<rev>/<file> -> ../../blobs/<hash>
 * (relative links), and refs/main holding the revision when `main` is true.
 */
export function writeHubSnapshot(hub: string, model: WanModelId, revision: string, options: { main?: boolean; leaveOut?: string[]; danglingLinks?: string[] } = {}): string {
  const repoDir = join(hub, `models--Wan-AI--${DIFFUSERS_MODELS[model].repoName}`)
  const snapshot = join(repoDir, 'snapshots', revision)
  let blob = 0
  for (const [file, content] of diffusersFiles(model)) {
    if (options.leaveOut?.includes(file)) continue
    const blobPath = join(repoDir, 'blobs', `${revision.slice(0, 8)}${String(blob++).padStart(8, '0')}`)
    if (!options.danglingLinks?.includes(file)) touch(blobPath, content)
    const link = join(snapshot, file)
    mkdirSync(dirname(link), { recursive: true })
    symlinkSync(relative(dirname(link), blobPath), link)
  }
  if (options.main !== false) touch(join(repoDir, 'refs', 'main'), revision)
  return snapshot
}

export function touchAll(root: string, files: string[]): void {
  for (const file of files) touch(join(root, file))
}
