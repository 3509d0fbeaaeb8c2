// The prompt helper model's part of the plan: which model queueing uses, where it loads, its memory
// and load time, and why the video model's plan still holds (or a warning where RAM runs short).
import { Fragment, type ReactElement } from 'react'
import type { PromptHelperPlan } from '../../../../shared/plan'
import { formatDuration, formatMiB } from '../../format'
import { PlanWarnings } from './PlanWarnings'
import { percentOf } from './systemText'
import { helperBesideRenderText, helperInstalledText, helperPlacementText, helperWeightsText } from './promptHelperText'

export function PromptHelperPlanCard({ helper, ramTotalMiB }: { helper: PromptHelperPlan; ramTotalMiB: number }): ReactElement {
  const ramPercent = percentOf(helper.predicted.peakRamMiB, ramTotalMiB)
  const beside = helperBesideRenderText(helper)
  return (
    <section className="card card-wide" data-testid="system-helper-plan">
      <h3 className="card-title">
        Prompt helper in the plan
        <span className="card-title-aside">
          <span className="badge badge-automatic" data-testid="helper-plan-installed">
            {helperInstalledText(helper)}
          </span>
        </span>
      </h3>
      {helper.warnings.length > 0 && <PlanWarnings title="The prompt helper model may run short of memory" warnings={helper.warnings} testId="helper-plan-warnings" />}
      <div className="plan-figures">
        <div className="figure">
          <div className="figure-label">Peak VRAM</div>
          <div className="figure-value">{helper.placement === 'gpu' ? formatMiB(helper.predicted.peakVramMiB) : '–'}</div>
          <div className="figure-sub">{helper.placement === 'gpu' ? `GPU ${helper.gpuIndex}, unloaded before the video model` : 'runs on the CPU'}</div>
        </div>
        <div className="figure">
          <div className="figure-label">Peak RAM</div>
          <div className="figure-value">{formatMiB(helper.predicted.peakRamMiB)}</div>
          <div className="figure-sub">{ramPercent !== null ? `${ramPercent}% of ${formatMiB(ramTotalMiB)}` : '–'}</div>
        </div>
        <div className="figure">
          <div className="figure-label">Load</div>
          <div className="figure-value">{formatDuration(helper.predicted.loadSeconds)}</div>
          <div className="figure-sub">estimate at an assumed disk speed (Why)</div>
        </div>
      </div>
      <dl className="kv">
        <dt>Model</dt>
        <dd data-testid="helper-plan-model">{helper.repo}</dd>
        <dt>Weights</dt>
        <dd>{helperWeightsText(helper)}</dd>
        <dt>Runs on</dt>
        <dd data-testid="helper-plan-placement">{helperPlacementText(helper)}</dd>
        {beside && (
          <>
            <dt>Beside a render</dt>
            <dd>{beside}</dd>
          </>
        )}
        {helper.others.map((other) => (
          <Fragment key={other.model}>
            <dt>Also known</dt>
            <dd>
              {other.repo}: {helperInstalledText(other)}, {helperWeightsText(other)}
            </dd>
          </Fragment>
        ))}
      </dl>
      <h4 className="card-subtitle">Why</h4>
      <ul className="reason-list">
        {helper.reasons.map((reason, i) => (
          <li key={i}>{reason}</li>
        ))}
      </ul>
    </section>
  )
}
