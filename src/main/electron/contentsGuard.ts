// App-wide guard on every web contents Electron creates (the main window, and anything a bug or an
// injected script might create later): no new windows, no navigation away from the app, no webviews.

/** The parts of Electron's WebContents the guard uses (structural, so tests can drive it with fakes). */
export type GuardedContents = {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): unknown
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown
}

/** Electron's App, as far as the guard uses it. */
export type GuardedApp = {
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedContents) => void): unknown
}

export function guardContents(contents: GuardedContents, isAppUrl: (url: string) => boolean): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  const stayInApp = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppUrl(url)) event.preventDefault()
  }
  contents.on('will-navigate', stayInApp)
  contents.on('will-redirect', stayInApp)
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** Call before the first window is created, so no web contents escapes the guard. */
export function installContentsGuard(app: GuardedApp, isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents, isAppUrl))
}
