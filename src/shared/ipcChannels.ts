// Channel names only, free of zod, so the sandboxed preload bundles nothing else. One channel per
// contract entry: `<domain>:<method>` for invokes, `<domain>:event:<name>` for events.
export const invokeNames = {
  project: ['load', 'save', 'chooseFile', 'recent', 'unsaved', 'keepUnsaved', 'dropUnsaved'],
  queue: ['snapshot', 'progress', 'renderPrompt', 'renderProject', 'cancel', 'pause', 'resume', 'retry', 'retryFailed', 'move', 'setPaused', 'clearFinished'],
  export: ['start'],
  system: ['snapshot', 'refresh', 'log', 'updateSettings', 'chooseModelsDir', 'telemetry', 'watchGpu'],
  batch: ['preview', 'start', 'status', 'reveal', 'list', 'pause', 'resume', 'cancel', 'retryFailed', 'dismiss'],
  media: ['thumbnail'],
  prompts: ['library', 'savePreset', 'deletePreset'],
  engine: ['setupStatus', 'setupStart', 'setupCancel', 'setupLog'],
  prompt: ['models', 'translate', 'extend'],
  models: ['downloads', 'downloadStart', 'downloadPause', 'downloadResume', 'downloadCancel']
} as const

export const eventNames = {
  queue: ['job', 'removed', 'progress', 'preview', 'paused'],
  system: ['snapshot', 'log', 'gpuSample', 'telemetry'],
  engine: ['setupProgress', 'setupLog', 'setupStatus'],
  models: ['download']
} as const

export function invokeChannel(domain: string, method: string): string {
  return `${domain}:${method}`
}

export function eventChannel(domain: string, name: string): string {
  return `${domain}:event:${name}`
}
