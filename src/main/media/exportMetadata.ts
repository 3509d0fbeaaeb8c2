// What an export says about itself: container title and comment, a `wan_studio` JSON tag with how
// every shot was made (also written next to the export), and one chapter per shot.
import type { ExportSpec, Project } from '../../shared/project'
import { FPS_CONVERSION_METHOD, type Timeline } from '../../shared/timeline'

/** The custom container tag holding ExportDescription as JSON (kept by -movflags use_metadata_tags). */
export const METADATA_TAG = 'wan_studio'
const CHAPTER_TITLE_LENGTH = 80

export type ExportChapter = { title: string; startFrame: number; endFrame: number; startSeconds: number; endSeconds: number }

export type ExportDescription = {
  app: 'Wan Studio'
  appVersion: string
  project: string
  export: { format: ExportSpec['format']; fps: number; frames: number; frameSize: string; fpsConversion: string }
  shots: Array<{
    index: number
    id: string
    /** The prompt as typed. */
    prompt: string
    /** What the model received: the translation or extension when there was one, else the prompt (trimmed). */
    modelPrompt: string
    /** null: the engine's default negative prompt. */
    negativePrompt: string | null
    seed: number
    model: string
    plan: string
    engine: string
    renderKey: string
    join: string
    startSeconds: number
    endSeconds: number
  }>
  /** Added afterwards by a batch (src/main/batch): wall times of the render and the export. */
  timings?: { renderSeconds: number | null; exportSeconds: number | null; segmentsRendered: number | null; segmentsReused: number | null }
}

/** `<output without extension>.wan-studio.json` */
export function metadataFilePath(output: string, extension: string): string {
  return `${output.slice(0, output.length - extension.length)}.wan-studio.json`
}

function joinLabel(join: Timeline['shots'][number]['join']): string {
  return join.kind === 'crossfade' ? `crossfade ${join.timelineFrames} frames at 16 fps (${join.exportFrames} exported)` : join.kind
}

export function describeExport(project: Project, timeline: Timeline, spec: ExportSpec, appVersion: string): ExportDescription {
  return {
    app: 'Wan Studio',
    appVersion,
    project: project.name,
    export: { format: spec.format, fps: timeline.fps, frames: timeline.frames, frameSize: project.settings.size, fpsConversion: FPS_CONVERSION_METHOD },
    shots: timeline.shots.map((laidOut) => {
      const shot = project.shots[laidOut.index]
      const render = shot?.render
      // buildTimeline refused unrendered shots already; this only narrows the types.
      if (!shot || !render) throw new Error(`shot ${laidOut.index + 1} has no render`)
      return {
        index: laidOut.index,
        id: shot.id,
        prompt: shot.prompt,
        modelPrompt: render.modelPrompt ?? shot.prompt.trim(),
        negativePrompt: shot.negativePrompt,
        seed: render.seed,
        model: render.model,
        plan: render.plan,
        engine: render.engine,
        renderKey: render.renderKey,
        join: joinLabel(laidOut.join),
        startSeconds: laidOut.startSeconds,
        endSeconds: laidOut.endSeconds
      }
    })
  }
}

/** The prompt on one line, cut at a word boundary when long; "Shot N" when empty. */
export function chapterTitle(prompt: string, index: number): string {
  const line = prompt.replace(/\s+/g, ' ').trim()
  if (!line) return `Shot ${index + 1}`
  if (line.length <= CHAPTER_TITLE_LENGTH) return line
  const cut = line.slice(0, CHAPTER_TITLE_LENGTH - 1)
  const lastSpace = cut.lastIndexOf(' ')
  return `${lastSpace > CHAPTER_TITLE_LENGTH / 2 ? cut.slice(0, lastSpace) : cut}…`
}

/**
 * One chapter per shot, back to back: a shot's chapter starts with the first frame showing it
 * (the start of its incoming crossfade) and ends where the next shot's starts.
 */
export function exportChapters(description: ExportDescription, timeline: Timeline): ExportChapter[] {
  return timeline.shots.map((shot, index) => {
    const endFrame = timeline.shots[index + 1]?.startFrame ?? timeline.frames
    return {
      title: chapterTitle(description.shots[index]?.prompt ?? '', index),
      startFrame: shot.startFrame,
      endFrame,
      startSeconds: shot.startFrame / timeline.fps,
      endSeconds: endFrame / timeline.fps
    }
  })
}

/** ffmetadata escapes `=`, `;`, `#`, `\` and newlines with a backslash. */
export function escapeFfmetadata(value: string): string {
  return value.replace(/[=;#\\\n]/g, (char) => `\\${char}`)
}

/** The ffmetadata document ffmpeg reads as an input for the container tags and chapters. */
export function ffmetadataDocument(options: { tags: Record<string, string>; chapters: ExportChapter[]; fps: number }): string {
  const lines = [';FFMETADATA1']
  for (const [key, value] of Object.entries(options.tags)) lines.push(`${escapeFfmetadata(key)}=${escapeFfmetadata(value)}`)
  for (const chapter of options.chapters) {
    // Chapter times in export frames are exact in a 1/fps time base.
    lines.push('[CHAPTER]', `TIMEBASE=1/${options.fps}`, `START=${chapter.startFrame}`, `END=${chapter.endFrame}`, `title=${escapeFfmetadata(chapter.title)}`)
  }
  return `${lines.join('\n')}\n`
}

export function containerTags(description: ExportDescription): Record<string, string> {
  const shots = description.shots.length
  return {
    title: description.project,
    comment:
      `Made with Wan Studio ${description.appVersion} from ${shots} shot${shots === 1 ? '' : 's'} rendered with Wan2.2; ` +
      `prompts, seeds and models are in the ${METADATA_TAG} tag`,
    [METADATA_TAG]: JSON.stringify(description)
  }
}
