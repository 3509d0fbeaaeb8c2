// One file per pair: the clip as typed on the left, the translated one on the right (ffmpeg hstack),
// each half labelled with drawtext (black on its default white box: no colour to choose). Written to
// a temporary name and renamed into place; checked with ffprobe (or ffmpeg) before it counts.
import { spawnSync } from 'node:child_process'
import { renameSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

export const LABELS = { asTyped: 'as typed', translated: 'translated' }

/** Whether this ffmpeg has drawtext (builds without libfreetype lack it): without it the halves go unlabelled. */
export function hasDrawtext(ffmpeg) {
  const listed = spawnSync(ffmpeg, ['-hide_banner', '-filters'], { encoding: 'utf8' })
  return listed.status === 0 && /\sdrawtext\s/.test(listed.stdout)
}

function filterGraph(height, labelled) {
  if (!labelled) return '[0:v][1:v]hstack=inputs=2[v]'
  const size = Math.max(12, Math.round(height / 18))
  const label = (text) => `drawtext=text='${text}':x=${size}:y=${size}:fontsize=${size}:box=1:boxborderw=${Math.round(size / 3)}`
  return `[0:v]${label(LABELS.asTyped)}[a];[1:v]${label(LABELS.translated)}[b];[a][b]hstack=inputs=2[v]`
}

/**
 * Writes `output` from the two clips and returns what ffprobe saw of it, with `labelled` false
 * (and why) when drawtext was missing or failed (fontconfig without a font, say).
 */
export async function writeSideBySide(core, { ffmpeg, asTyped, translated, output, drawtext }) {
  const probe = await core.probeVideo({ ffmpeg, path: asTyped })
  const partial = join(dirname(output), `.${basename(output, '.mp4')}.partial.mp4`)
  const run = (labelled) =>
    core.runFfmpeg({
      ffmpeg,
      args: ['-y', '-v', 'error', '-i', asTyped, '-i', translated, '-filter_complex', filterGraph(probe.height, labelled), '-map', '[v]', '-c:v', 'libx264', '-crf', '18', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', partial]
    })
  let unlabelled = drawtext ? null : 'this ffmpeg has no drawtext filter'
  try {
    if (unlabelled) await run(false)
    else {
      try {
        await run(true)
      } catch (error) {
        unlabelled = `drawtext failed: ${(error.stderrTail ?? []).join(' ').slice(-300) || error.message}`
        await run(false)
      }
    }
  } catch (error) {
    rmSync(partial, { force: true })
    throw error
  }
  const written = await core.probeVideo({ ffmpeg, path: partial })
  if (written.width !== probe.width * 2 || written.height !== probe.height || written.frames !== probe.frames) {
    rmSync(partial, { force: true })
    throw new Error(`${output}: ffmpeg wrote ${written.width}x${written.height}, ${written.frames} frames, not ${probe.width * 2}x${probe.height}, ${probe.frames} frames`)
  }
  renameSync(partial, output)
  return { width: written.width, height: written.height, frames: written.frames, labelled: unlabelled === null, unlabelledBecause: unlabelled }
}
