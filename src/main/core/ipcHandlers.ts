// The IPC handlers as plain functions over the core, shared by the Electron wiring and the tests'
// bridge, so both validate and answer exactly the same way. Every answer is an IpcOutcome: errors
// cross as {code, message, details}, never as a string to unwrap.
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { invokeContract, type IpcHandlers, type IpcOutcome } from '../../shared/ipc'
import { type Project } from '../../shared/project'
import type { ErrorInfo } from '../../shared/queue'
import { newShot, PROJECT_FORMAT_VERSION } from '../../shared/project'
import { ExportError } from '../media/export'
import { draftRefusal } from '../media/exportDrafts'
import { loadProject, ProjectFileError, saveProject } from '../project/projectFile'
import { readRecentProjects, rememberProject } from '../project/recentProjects'
import { dropUnsavedProject, keepUnsavedProject, readUnsavedProject } from '../project/unsavedProject'
import { QueueError } from '../queue/renderQueue'
import { RenderRequestError } from '../render/resolveShot'
import { EngineSetupBusyError } from '../engineSetup/engineSetupService'
import { createBatchHandlers } from './batchHandlers'
import { createMediaHandlers } from './mediaHandlers'
import { createPromptHandlers } from './promptHandlers'
import { jobForFrontEnd } from './jobView'
import { createPromptModelHandlers } from './promptModelHandlers'
import { describeJobError } from './localExecutor'
import type { Studio } from './studio'

export interface NativeDialogs {
  /** Asks the user for a folder; null when they cancel. The Electron wiring opens a real dialog. */
  chooseDirectory(title: string): Promise<string | null>
  /** Shows a file or folder in the system's file manager. */
  revealInFolder(path: string): Promise<void>
  /** Asks for a project file to open, or where to save one; null when they cancel. */
  chooseProjectFile(purpose: 'open' | 'save'): Promise<string | null>
}

const noDialogs: NativeDialogs = {
  chooseDirectory: () => Promise.reject(new Error('no folder dialog here: type the folder path instead')),
  revealInFolder: () => Promise.reject(new Error('no file manager here: open the folder yourself')),
  chooseProjectFile: () => Promise.reject(new Error('no file dialog here: type the project path instead'))
}

export function createIpcHandlers(studio: Studio, dialogs: NativeDialogs = noDialogs): IpcHandlers {
  const queue = (): ReturnType<Studio['queue']> => studio.queue()
  const batch = createBatchHandlers(studio)
  const prompts = createPromptHandlers(studio.dataDir)
  return {
    project: {
      load: async ({ path }) => {
        const project = await loadProject(path)
        await rememberProject(studio.dataDir, path)
        return project
      },
      save: async ({ path, project }) => {
        await saveProject(path, project)
        await rememberProject(studio.dataDir, path)
        return { path }
      },
      recent: () => readRecentProjects(studio.dataDir),
      chooseFile: async ({ purpose }) => ({ path: await dialogs.chooseProjectFile(purpose) }),
      unsaved: () => readUnsavedProject(studio.dataDir),
      keepUnsaved: ({ project, path }) => keepUnsavedProject(studio.dataDir, project, path),
      dropUnsaved: () => dropUnsavedProject(studio.dataDir)
    },
    queue: {
      snapshot: async () => {
        const snapshot = (await queue()).snapshot()
        return { ...snapshot, jobs: snapshot.jobs.map((job) => jobForFrontEnd(job, (path) => studio.mediaUrl(path))) }
      },
      progress: async () => (await queue()).runningProgress(),
      renderPrompt: async ({ size, ...request }) => {
        const shot = newShot(`prompt-${Date.now()}`, {
          prompt: request.prompt,
          negativePrompt: request.negativePrompt ?? null,
          seed: request.seed ?? null,
          seconds: request.seconds,
          steps: request.steps ?? null,
          engine: request.engine
        })
        const project: Project = { formatVersion: PROJECT_FORMAT_VERSION, name: request.prompt.trim().slice(0, 60) || 'Prompt', settings: { size: size ?? '1280x720', translate: 'auto' }, shots: [shot] }
        // The export refuses a missing folder (a typo'd destination); this one is the studio's own.
        await mkdir(studio.exportsDir, { recursive: true })
        const output = join(studio.exportsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.mp4`)
        const queued = await studio.queueProject(project, { exportSpec: { format: 'h264', fps: 16, output } })
        await prompts.remember(project.shots)
        return queued
      },
      renderProject: async ({ project }) => {
        const queued = await studio.queueProject(project, { exportSpec: null })
        await prompts.remember(project.shots)
        return queued
      },
      cancel: async ({ jobId }) => (await queue()).cancel(jobId),
      pause: async ({ jobId }) => (await queue()).pause(jobId),
      resume: async ({ jobId }) => (await queue()).resume(jobId),
      retry: async ({ jobId }) => (await queue()).retry(jobId),
      retryFailed: async () => ({ retried: (await queue()).retryFailed() }),
      move: async ({ jobId, toIndex }) => (await queue()).move(jobId, toIndex),
      setPaused: async ({ paused }) => (await queue()).setPaused(paused),
      clearFinished: async () => ({ removed: (await queue()).clearFinished() })
    },
    export: {
      start: async ({ project, spec }) => {
        // Refused before its shots render; the export checks again.
        const drafts = draftRefusal(project, spec)
        if (drafts) throw new ExportError(drafts)
        // The studio's own exports folder may not exist yet; any other missing folder is a typo the export refuses.
        if (dirname(spec.output) === studio.exportsDir) await mkdir(studio.exportsDir, { recursive: true })
        const queued = await studio.queueProject(project, { exportSpec: spec })
        await prompts.remember(project.shots)
        return queued
      }
    },
    system: {
      snapshot: () => studio.systemSnapshot(),
      refresh: () => studio.refreshSystem(),
      log: () => Promise.resolve(studio.sidecarLog()),
      updateSettings: (change) => studio.updateSettings(change),
      chooseModelsDir: async () => {
        const path = await dialogs.chooseDirectory('Choose the folder that holds the Wan2.2 models')
        if (path) await studio.updateSettings({ modelsDir: path })
        return { path }
      },
      telemetry: () => Promise.resolve(studio.telemetryStatus()),
      watchGpu: ({ watch }) => studio.watchGpu(watch)
    },
    batch: {
      ...batch,
      reveal: ({ path }) => dialogs.revealInFolder(path)
    },
    media: createMediaHandlers(studio),
    prompts: prompts.handlers,
    prompt: createPromptModelHandlers(studio.prompts),
    engine: {
      setupStatus: () => studio.engineSetup.status(),
      setupStart: (request) => studio.engineSetup.start(request),
      setupCancel: () => Promise.resolve(studio.engineSetup.cancel()),
      setupLog: () => studio.engineSetup.readLog()
    },
    models: {
      downloads: () => studio.downloads.list(),
      downloadStart: ({ id }) => studio.downloads.start(id),
      downloadPause: ({ id }) => studio.downloads.pause(id),
      // Resuming is starting again: the part files are kept and fetched on with Range requests.
      downloadResume: ({ id }) => studio.downloads.start(id),
      downloadCancel: ({ id }) => studio.downloads.cancel(id)
    }
  }
}

/** Validates untrusted params against the contract, then calls the handler; never throws. */
export async function dispatchInvoke(handlers: IpcHandlers, domain: string, method: string, rawParams: unknown): Promise<IpcOutcome<unknown>> {
  const entry = ownEntry(invokeContract as Record<string, Record<string, { params: { safeParse: (value: unknown) => { success: boolean; data?: unknown; error?: { issues: { path: PropertyKey[]; message: string }[] } } } }>>, domain, method)
  const handler = ownEntry(handlers as unknown as Record<string, Record<string, (params: unknown) => Promise<unknown>>>, domain, method)
  if (!entry || typeof handler !== 'function') {
    return { ok: false, error: { code: 'unknown-method', message: `no such IPC method ${domain}.${method}`, details: [] } }
  }
  const parsed = entry.params.safeParse(rawParams)
  if (!parsed.success) {
    const problems = (parsed.error?.issues ?? []).map((issue) => `${issue.path.map(String).join('.') || 'params'}: ${issue.message}`)
    return { ok: false, error: { code: 'invalid-params', message: `invalid ${domain}.${method} params: ${problems.join('; ')}`, details: problems } }
  }
  try {
    return { ok: true, value: await handler(parsed.data) }
  } catch (error) {
    return { ok: false, error: ipcError(error) }
  }
}

/** table[domain][method], own properties only: `toString` or `__proto__` is no IPC method. */
function ownEntry<T>(table: Record<string, Record<string, T>>, domain: string, method: string): T | undefined {
  const methods = Object.hasOwn(table, domain) ? table[domain] : undefined
  return methods && Object.hasOwn(methods, method) ? methods[method] : undefined
}

function ipcError(error: unknown): ErrorInfo {
  if (error instanceof ProjectFileError) return { code: 'project-file', message: error.message, details: [] }
  if (error instanceof QueueError) return { code: error.code, message: error.message, details: [] }
  if (error instanceof RenderRequestError) return { code: 'invalid-request', message: error.message, details: [] }
  if (error instanceof EngineSetupBusyError) return { code: 'engine-setup-busy', message: error.message, details: [] }
  return describeJobError(error)
}
