import { dialog, shell, type BrowserWindow } from 'electron'
import type { NativeDialogs } from '../core/ipcHandlers'
import { PROJECT_FILE_EXTENSION } from '../project/projectFile'

export function electronDialogs(window: BrowserWindow): NativeDialogs {
  return {
    chooseDirectory: async (title) => {
      const choice = await dialog.showOpenDialog(window, { title, properties: ['openDirectory', 'createDirectory'] })
      return choice.canceled ? null : (choice.filePaths[0] ?? null)
    },
    revealInFolder: (path) => {
      shell.showItemInFolder(path)
      return Promise.resolve()
    },
    chooseProjectFile: async (purpose) => {
      const filters = [{ name: 'Wan Studio project', extensions: [PROJECT_FILE_EXTENSION.slice(1)] }]
      if (purpose === 'save') {
        const choice = await dialog.showSaveDialog(window, { title: 'Save the project', filters })
        return choice.canceled ? null : (choice.filePath ?? null)
      }
      const choice = await dialog.showOpenDialog(window, { title: 'Open a project', filters, properties: ['openFile'] })
      return choice.canceled ? null : (choice.filePaths[0] ?? null)
    }
  }
}
