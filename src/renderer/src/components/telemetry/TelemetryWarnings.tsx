// The GPU warnings (throttling for heat or power, memory inside the plan's margin), held a few
// seconds after the last sample that showed them so they don't flicker.
import { useEffect, useState, type ReactElement } from 'react'
import { IconWarning } from '../../icons'
import { useStudio } from '../../store'
import { activeWarnings, nextExpiry } from '../../store/telemetryWarnings'

/** The time to judge the warnings at: now, and again when the first shown warning's hold runs out (so it leaves even when samples stop). */
function useWarningClock(): number {
  const tracker = useStudio((s) => s.telemetry.warnings)
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const at = Date.now()
    const expiry = nextExpiry(tracker, at)
    if (expiry === null) return
    const timer = window.setTimeout(() => setNow(Date.now()), expiry - at + 50)
    return () => window.clearTimeout(timer)
  }, [tracker, now])
  return now
}

/** Always present (empty when all is well), so screen readers announce a warning as it appears. */
export function TelemetryWarnings(): ReactElement {
  const tracker = useStudio((s) => s.telemetry.warnings)
  const clock = useWarningClock()
  // A sample newer than the clock counts from its own time, so a fresh warning shows at once.
  const newest = Math.max(clock, ...Object.values(tracker).map((seen) => seen.lastAt))
  const warnings = activeWarnings(tracker, newest)
  return (
    <div role="status" className="telemetry-warnings-region">
      {warnings.length > 0 && (
        <ul className="telemetry-warnings" data-testid="telemetry-warnings">
          {warnings.map((warning) => (
            <li key={warning.kind} className="telemetry-warning" data-kind={warning.kind}>
              <IconWarning size={14} />
              <span>{warning.message}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
