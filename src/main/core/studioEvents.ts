// The core's events as the contract's (domain, name, payload): one mapping for the Electron window
// and the tests' browser bridge.
import type { EventDomain, EventName, EventPayload } from '../../shared/ipc'
import type { EngineSetupService } from '../engineSetup/engineSetupService'
import { jobForFrontEnd } from './jobView'
import type { Studio, StudioEvents } from './studio'

export type EventSink = <D extends EventDomain, E extends EventName<D>>(domain: D, name: E, payload: EventPayload<D, E>) => void

/** The studio events a front end hears; the metrics' own events (segments, step-downs) stay in main. */
type FrontEndEvents = Omit<StudioEvents, 'segmentRendered' | 'stepDown'>

/** Subscribes `send` to every front-end event; returns the unsubscribe. */
export function studioEventStream(studio: Studio, send: EventSink): () => void {
  const listeners: { [K in keyof FrontEndEvents]: (...args: FrontEndEvents[K]) => void } = {
    job: (job) => send('queue', 'job', jobForFrontEnd(job, (path) => studio.mediaUrl(path))),
    jobRemoved: (jobId) => send('queue', 'removed', { jobId }),
    progress: (progress) => send('queue', 'progress', progress),
    preview: (preview) => send('queue', 'preview', preview),
    queuePaused: (paused) => send('queue', 'paused', { paused }),
    system: (snapshot) => send('system', 'snapshot', snapshot),
    log: (line) => send('system', 'log', line),
    gpuSample: (sample) => send('system', 'gpuSample', sample),
    telemetry: (status) => send('system', 'telemetry', status)
  }
  for (const [event, listener] of Object.entries(listeners)) studio.on(event as keyof StudioEvents, listener)
  const stopEngineSetupEvents = engineSetupEventStream(studio.engineSetup, send)
  const sendDownload = (status: EventPayload<'models', 'download'>): void => send('models', 'download', status)
  studio.downloads.on('status', sendDownload)
  return () => {
    studio.downloads.off('status', sendDownload)
    for (const [event, listener] of Object.entries(listeners)) studio.off(event as keyof StudioEvents, listener)
    stopEngineSetupEvents()
  }
}

/** The engine set-up's progress, log lines and status, as the contract's engine events. */
function engineSetupEventStream(service: EngineSetupService, send: EventSink): () => void {
  const listeners = {
    progress: (progress: EventPayload<'engine', 'setupProgress'>) => send('engine', 'setupProgress', progress),
    log: (line: string) => send('engine', 'setupLog', { line }),
    status: (status: EventPayload<'engine', 'setupStatus'>) => send('engine', 'setupStatus', status)
  }
  service.on('progress', listeners.progress).on('log', listeners.log).on('status', listeners.status)
  return () => {
    service.off('progress', listeners.progress).off('log', listeners.log).off('status', listeners.status)
  }
}
