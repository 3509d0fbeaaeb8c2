// The plan the real engine will use (or why it can't run), with the form that pins choices over it.
import type { ReactElement } from 'react'
import type { DoctorReport } from '../../../../shared/doctor'
import type { EffectivePlanInfo } from '../../../../shared/ipc'
import type { Plan } from '../../../../shared/plan'
import { formatDuration, formatMiB } from '../../format'
import { PlanOverrideForm } from '../PlanOverrideForm'
import { PlanWarnings } from './PlanWarnings'
import { PromptHelperPlanCard } from './PromptHelperPlanCard'
import { attentionText, modeText, oneTimeText } from './planLevers'
import { expertsText, modelText, percentOf, precisionText } from './systemText'

function PlanDetails({ plan, report }: { plan: Plan; report: DoctorReport }): ReactElement {
  const gpu = report.gpus.find((g) => g.index === plan.gpuIndex) ?? null
  const vramPercent = percentOf(plan.predicted.peakVramMiB, gpu?.memoryTotalMiB ?? null)
  const ramPercent = percentOf(plan.predicted.peakRamMiB, report.ramTotalMiB)
  const segmentSeconds = plan.segmentFrames / plan.fps
  const firstSegment = oneTimeText(plan.predicted.oneTime)
  return (
    <>
      <div className="plan-figures">
        <div className="figure">
          <div className="figure-label">Peak VRAM</div>
          <div className="figure-value">{formatMiB(plan.predicted.peakVramMiB)}</div>
          <div className="figure-sub">
            {vramPercent !== null ? `${vramPercent}% of GPU ${plan.gpuIndex}` : `GPU ${plan.gpuIndex}`}
          </div>
        </div>
        <div className="figure">
          <div className="figure-label">Peak RAM</div>
          <div className="figure-value">{formatMiB(plan.predicted.peakRamMiB)}</div>
          <div className="figure-sub">{ramPercent !== null ? `${ramPercent}% of ${formatMiB(report.ramTotalMiB)}` : '–'}</div>
        </div>
        <div className="figure">
          <div className="figure-label">Per segment</div>
          <div className="figure-value">{formatDuration(plan.predicted.secondsPerSegment)}</div>
          <div className="figure-sub">
            {plan.segmentFrames} frames at {plan.fps} fps ({segmentSeconds.toFixed(1)} s of video)
          </div>
          {firstSegment && <div className="figure-sub" data-testid="plan-one-time">first segment also: {firstSegment}</div>}
        </div>
      </div>
      <dl className="kv">
        <dt>Mode</dt>
        <dd data-testid="plan-render-mode">{modeText[plan.mode]}</dd>
        <dt>Attention</dt>
        <dd data-testid="plan-attention">{attentionText[plan.speed.attention]}</dd>
        <dt>Compilation</dt>
        <dd data-testid="plan-compile">{plan.speed.compile ? 'repeated block compiled' : 'off'}</dd>
        <dt>Precision</dt>
        <dd>{precisionText[plan.precision]}</dd>
        <dt>Experts</dt>
        <dd>{expertsText[plan.placement.experts]}</dd>
        <dt>Text encoder</dt>
        <dd>{plan.placement.textEncoder === 'gpu' ? 'on the GPU' : 'on the CPU'}</dd>
        <dt>VAE tiling</dt>
        <dd>{plan.placement.vaeTiling ? 'on' : 'off'}</dd>
        <dt>Frame size</dt>
        <dd className="mono">
          {plan.width}×{plan.height}
        </dd>
      </dl>
      {plan.reasons.length > 0 && (
        <>
          <h4 className="card-subtitle">Why</h4>
          <ul className="reason-list">
            {plan.reasons.map((reason, i) => (
              <li key={i}>{reason}</li>
            ))}
          </ul>
        </>
      )}
    </>
  )
}

/** The plan the real engine will use (the planner's, with the user's pinned choices on top), and the prompt helper model's part. */
export function PlanCard({ report, effective }: { report: DoctorReport; effective: EffectivePlanInfo }): ReactElement | null {
  const helper = report.promptHelper ? <PromptHelperPlanCard helper={report.promptHelper} ramTotalMiB={report.ramTotalMiB} /> : null
  // Without a plan there is nothing to adjust, unless pinned choices are what ruled it out.
  if (!effective.plan && !effective.overridden) return helper
  return (
    <>
      <RenderPlanCard report={report} effective={effective} />
      {helper}
    </>
  )
}

function RenderPlanCard({ report, effective }: { report: DoctorReport; effective: EffectivePlanInfo }): ReactElement {
  const plan = effective.plan
  const pinned = effective.overridden
  return (
    <section className="card card-wide" data-testid="system-plan">
      <h3 className="card-title">
        Render plan
        <span className="card-title-aside">
          <span
            className={`badge ${pinned ? 'badge-pinned' : 'badge-automatic'}`}
            data-testid="plan-mode"
            title={pinned ? 'Your pinned choices, with the planner’s for the rest' : 'Chosen by the planner for this machine'}
          >
            {pinned ? 'pinned' : 'automatic'}
          </span>
          {plan && <span className="badge badge-wan">{modelText[plan.model]}</span>}
        </span>
      </h3>
      {effective.warnings.length > 0 && <PlanWarnings title="Your pinned plan may not run on this machine" warnings={effective.warnings} testId="override-warnings" />}
      <div data-testid="effective-plan" data-pinned={pinned}>
        {plan ? (
          <PlanDetails plan={plan} report={report} />
        ) : (
          <p className="plan-refusal">No plan fits with your pinned choices: {effective.refusal ?? 'the planner gave no reason'}</p>
        )}
      </div>
      <PlanOverrideForm planInEffect={plan} />
    </section>
  )
}
