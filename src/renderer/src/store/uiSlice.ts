// UI-only state: never part of the document, never in the undo history.
import type { StateCreator } from 'zustand'
import type { Studio } from './index'

export type CenterTab = 'viewer' | 'project' | 'queue' | 'system'

/** Timeline zoom: pixels per 16 fps frame. */
export const ZOOM_LEVELS = [1, 2, 3, 4, 6, 8] as const

export type UiSlice = {
  tab: CenterTab
  logOpen: boolean
  selectedShotId: string | null
  /** Frame of the timeline (16 fps) under the playhead. */
  playheadFrame: number
  playing: boolean
  zoomIndex: number
  setTab: (tab: CenterTab) => void
  setLogOpen: (open: boolean) => void
  selectShot: (id: string | null) => void
  setPlayhead: (frame: number) => void
  setPlaying: (playing: boolean) => void
  zoomBy: (steps: number) => void
}

export const createUiSlice: StateCreator<Studio, [], [], UiSlice> = (set) => ({
  tab: 'viewer',
  logOpen: true,
  selectedShotId: null,
  playheadFrame: 0,
  playing: false,
  zoomIndex: 2,
  setTab: (tab) => set({ tab }),
  setLogOpen: (logOpen) => set({ logOpen }),
  selectShot: (selectedShotId) => set({ selectedShotId }),
  setPlayhead: (frame) => set({ playheadFrame: Math.max(0, Math.round(frame)) }),
  setPlaying: (playing) => set({ playing }),
  zoomBy: (steps) => set((s) => ({ zoomIndex: Math.min(ZOOM_LEVELS.length - 1, Math.max(0, s.zoomIndex + steps)) }))
})
