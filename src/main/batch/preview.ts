// What the app shows before queueing: the jobs, the refused rows, the total length and the
// predicted render time from the cached plan (no probing: it reads the snapshot the app holds).
import { batchJobFrames, type BatchPreview } from '../../shared/batch'
import type { EffectivePlanInfo } from '../../shared/ipc'
import { CLIP_FPS, type EngineChoice } from '../../shared/render'
import { planSegments } from '../../shared/segments'
import type { ImportedList } from './importList'

export function previewOf(list: ImportedList, engine: EngineChoice, effectivePlan: EffectivePlanInfo | null): BatchPreview {
  const totalSeconds = list.jobs.reduce((sum, job) => sum + batchJobFrames(job) / CLIP_FPS, 0)
  const prediction = predictSeconds(list, engine, effectivePlan)
  return { file: list.file, jobs: list.jobs, rejected: list.rejected, warnings: list.warnings, totalSeconds, ...prediction }
}

function predictSeconds(list: ImportedList, engine: EngineChoice, effectivePlan: EffectivePlanInfo | null): Pick<BatchPreview, 'predictedSeconds' | 'predictionNote'> {
  if (engine === 'synthetic') return { predictedSeconds: null, predictionNote: 'the synthetic engine has no time prediction (it renders test frames in about real time)' }
  const plan = effectivePlan?.plan
  if (!plan) return { predictedSeconds: null, predictionNote: effectivePlan?.refusal ?? 'no plan for the real engine yet (see the System tab)' }
  const segments = list.jobs.reduce((sum, job) => sum + planSegments(batchJobFrames(job), plan.segmentFrames).length, 0)
  return { predictedSeconds: segments * plan.predicted.secondsPerSegment, predictionNote: `${segments} segments of up to ${plan.segmentFrames} frames at about ${Math.round(plan.predicted.secondsPerSegment)} s each (${plan.model}, the plan's prediction)` }
}
