import { dialog, shell, type BrowserWindow } from 'electron'
import type { NativeDialogs } from '../core/ipcHandlers'

export function electronDialogs(window: BrowserWindow): NativeDialogs {
  return {
    chooseDirectory: async (title) => {
      const choice = await dialog.showOpenDialog(window, { title, properties: ['openDirectory', 'createDirectory'] })
      return choice.canceled ? null : (choice.filePaths[0] ?? null)
    },
    revealInFolder: (path) => {
      shell.showItemInFolder(path)
      return Promise.resolve()
    }
  }
}
