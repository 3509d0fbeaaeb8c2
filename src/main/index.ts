// Electron entry: wiring only. All work happens in the core (Studio), shared with the CLI.
import { join } from 'node:path'
import { app, type IpcMainInvokeEvent } from 'electron'
import { appPathsForThisMachine } from './appPaths/appPaths'
import { findAppRoot, STUDIO_VERSION } from './core/appInfo'
import { createIpcHandlers } from './core/ipcHandlers'
import { Studio } from './core/studio'
import { isStudioFrameUrl } from './core/trustedSender'
import { electronDialogs } from './electron/dialogs'
import { forwardStudioEvents, registerIpc } from './electron/ipc'
import { installMenu } from './electron/menu'
import { APP_ORIGIN, handleProtocols, mediaUrlFor, registerSchemes } from './electron/protocol'
import { installContentsGuard } from './electron/contentsGuard'
import { createMainWindow, denyAllPermissions, preloadPath } from './electron/window'
import { defaultDataDir } from './project/dataDir'

const devServerUrl = process.env.ELECTRON_RENDERER_URL
const isDev = !app.isPackaged && Boolean(devServerUrl)

registerSchemes()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  void start()
}

async function start(): Promise<void> {
  await app.whenReady()
  const dataDir = defaultDataDir()
  // Packaged, everything shipped is under process.resourcesPath; from a checkout, under the repo.
  const paths = app.isPackaged
    ? appPathsForThisMachine({ layout: 'packaged', appRoot: process.resourcesPath, resourcesPath: process.resourcesPath, dataDir, env: process.env })
    : appPathsForThisMachine({ layout: 'source', appRoot: findAppRoot(__dirname), resourcesPath: null, dataDir, env: process.env })
  const studio = new Studio({
    version: STUDIO_VERSION,
    dataDir,
    paths,
    mediaUrl: (path) => mediaUrlFor(mediaRoots(), path)
  })
  // The renders' segments and the quick path's exported clips.
  const mediaRoots = (): string[] => [studio.rendersDir, studio.exportsDir]

  denyAllPermissions()
  installMenu(isDev)
  handleProtocols(join(__dirname, '..', 'renderer'), mediaRoots)
  const startUrl = isDev && devServerUrl ? devServerUrl : `${APP_ORIGIN}/index.html`
  installContentsGuard(app, (url) => isStudioFrameUrl(url, startUrl))
  const window = createMainWindow(preloadPath(__dirname), startUrl)
  // Only the studio's own top frame may call in.
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame
    return event.sender === window.webContents && frame === window.webContents.mainFrame && isStudioFrameUrl(frame.url, startUrl)
  }
  registerIpc(createIpcHandlers(studio, electronDialogs(window)), trusted)
  forwardStudioEvents(studio, window)
  // The opt-in Prometheus endpoint, when the System tab turned it on (a failure is logged, not fatal).
  void studio.serveMetricsFromSettings()

  window.on('closed', () => app.quit())
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore()
    window.focus()
  })

  // Quitting waits for the sidecar tree (and any ffmpeg) to be gone: no orphan holds the GPU.
  let closed = false
  app.on('before-quit', (event) => {
    if (closed) return
    event.preventDefault()
    void studio.close().finally(() => {
      closed = true
      app.quit()
    })
  })
  app.on('window-all-closed', () => app.quit())
  // A terminal's Ctrl+C or a session logout takes the same path as File > Quit.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit())
}
