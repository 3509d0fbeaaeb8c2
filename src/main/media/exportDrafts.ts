// Draft shots in an export: rendered small for a quick look (DRAFT_SIZES), so a film with one in it
// is refused unless the user asked for the drafts to be upscaled. Checked when the export is queued
// (before any render runs) and again by the export itself, before ffmpeg.
import { DRAFT_SIZES, type ExportSpec, type Project } from '../../shared/project'

export type DraftShot = { index: number; id: string; prompt: string }

/** The project's draft shots, in timeline order. */
export function draftShots(project: Project): DraftShot[] {
  return project.shots.flatMap((shot, index) => (shot.draft ? [{ index, id: shot.id, prompt: shot.prompt }] : []))
}

/** Why the export can't run as asked (draft shots and drafts: 'refuse'), or null. */
export function draftRefusal(project: Project, spec: Pick<ExportSpec, 'drafts'>): string | null {
  if (spec.drafts === 'upscale') return null
  const drafts = draftShots(project)
  if (drafts.length === 0) return null
  const { width, height } = DRAFT_SIZES[project.settings.size]
  const names = drafts.map((shot) => `shot ${shot.index + 1} (${quoted(shot.prompt)})`)
  const which = drafts.length === 1 ? `${names[0]} is a draft` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are drafts`
  return (
    `${which}, rendered at ${width}x${height} for a quick look; ` +
    `turn Draft off and render ${drafts.length === 1 ? 'it' : 'them'} again at ${project.settings.size}, ` +
    `or export with the drafts upscaled (the export dialog's "Upscale drafts", or --upscale-drafts)`
  )
}

function quoted(prompt: string): string {
  const text = prompt.trim().replace(/\s+/g, ' ')
  return `“${text.length > 40 ? `${text.slice(0, 39)}…` : text}”`
}
