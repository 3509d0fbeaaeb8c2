// Channel names only, free of zod, so the sandboxed preload bundles nothing else.
export const invokeChannels = {
  getStudioInfo: 'studio:get-info',
  startRender: 'render:start',
  cancelRender: 'render:cancel',
  listRenders: 'render:list',
  getSidecarLog: 'sidecar:get-log',
  runDoctor: 'system:doctor',
  getEngineStatus: 'engine:get-status',
  getSettings: 'settings:get',
  updateSettings: 'settings:update',
  chooseModelsDir: 'settings:choose-models-dir',
  getEffectivePlan: 'plan:get-effective'
} as const

export const eventChannels = {
  onRenderProgress: 'render:progress',
  onRenderDone: 'render:done',
  onRenderFailed: 'render:failed',
  onSidecarLog: 'sidecar:log'
} as const

export type InvokeMethod = keyof typeof invokeChannels
export type EventMethod = keyof typeof eventChannels
