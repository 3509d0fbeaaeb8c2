// The GPU sampler's own cost: CPU time per minute of sampling and memory, for the studio process
// and for nvidia-smi itself (aim: under 1% of one core at a 500 ms rate).
//
//   node scripts/bench-sampler.mjs                    # nvidia-smi from PATH (or WAN_STUDIO_NVIDIA_SMI), 60 s
//   node scripts/bench-sampler.mjs --seconds 20 --interval-ms 500
//
// Without a GPU, point WAN_STUDIO_NVIDIA_SMI at test/fixtures/nvidia-smi/fake-nvidia-smi.mjs (with
// FAKE_NVIDIA_SMI_CASE=rtx4090): that measures our side only, the fake being a Node process itself.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { values: flags } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, 'interval-ms': { type: 'string', default: '500' } } })
const seconds = Number(flags.seconds)
const intervalMs = Number(flags['interval-ms'])

const outfile = join(root, 'node_modules', '.cache', 'wan-studio-bench', 'sampler.mjs')
await build({ entryPoints: [join(root, 'src/main/gpu/sampler.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile, logLevel: 'warning' })
const { GpuSampler } = await import(pathToFileURL(outfile).href)

/** utime + stime of a process, in seconds (Linux /proc). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

let samples = 0
let childPid = null
const sampler = new GpuSampler({ intervalMs, onSample: () => samples++ })
const heapBefore = process.memoryUsage().heapUsed
const ourCpuBefore = process.cpuUsage()
sampler.start()
// The child is private; find it as our only nvidia-smi (or fake) child.
await new Promise((resolve) => setTimeout(resolve, 1000))
childPid = Number(readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/)[0]) || null
const childCpuStart = childPid ? cpuSeconds(childPid) : 0
await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
const childCpu = childPid ? cpuSeconds(childPid) - childCpuStart : null
const ours = process.cpuUsage(ourCpuBefore)
const heapAfter = process.memoryUsage().heapUsed
await sampler.stop()

const perMinute = (cpu) => (cpu / (seconds + 1)) * 60
const ourCpu = (ours.user + ours.system) / 1e6
console.log(`sampled ${samples} lines in ${seconds} s at ${intervalMs} ms (status: ${sampler.status.state})`)
console.log(`studio process: ${perMinute(ourCpu).toFixed(3)} CPU s per minute = ${((ourCpu / (seconds + 1)) * 100).toFixed(2)}% of one core`)
if (childCpu !== null) console.log(`nvidia-smi process: ${perMinute(childCpu).toFixed(3)} CPU s per minute = ${((childCpu / seconds) * 100).toFixed(2)}% of one core`)
console.log(`heap growth over the run: ${((heapAfter - heapBefore) / 1024).toFixed(0)} KiB`)
