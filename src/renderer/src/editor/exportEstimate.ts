// Predicted size and time of an export, before it runs.
//
// Size: frames × a per-format bytes-per-frame constant at 1280×720 (scaled by pixel count for other
// sizes): H.264 CRF 18 of generated footage ≈ 8 Mbit/s at 24 fps ≈ 42 kB a frame; ProRes 422 HQ ≈
// 184 Mbit/s at 24 fps ≈ 960 kB; DNxHR HQ ≈ 176 Mbit/s at 24 fps ≈ 920 kB. They are typical rates
// of those codecs, not measured on this machine: the dialog says "about".
// Time: the export re-encodes every frame once; ffmpeg manages about 120 frames/s for H.264 and
// 60 for the intra codecs at 720p on a laptop CPU. Shots that still need rendering are not counted.
import type { ExportFormat, FrameSize } from '../../../shared/project'

export const BYTES_PER_FRAME_720P: Record<ExportFormat, number> = { h264: 42_000, prores: 960_000, dnxhr: 920_000 }
export const FRAMES_PER_SECOND_ENCODED: Record<ExportFormat, number> = { h264: 120, prores: 60, dnxhr: 60 }

export function estimateExport(frames: number, format: ExportFormat, size: FrameSize): { bytes: number; seconds: number } {
  const [width, height] = size.split('x').map(Number) as [number, number]
  const scale = (width * height) / (1280 * 720)
  return { bytes: Math.round(frames * BYTES_PER_FRAME_720P[format] * scale), seconds: frames / FRAMES_PER_SECOND_ENCODED[format] }
}
