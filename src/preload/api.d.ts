import type { WanStudioApi } from '../shared/ipc'

declare global {
  interface Window {
    wanStudio: WanStudioApi
  }
}

export {}
