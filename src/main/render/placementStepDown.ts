import type { Plan } from '../../shared/plan'
import { describePlacement, outOfMemoryPhase, smallerPlacement } from '../planner/override'
import type { PlacementStepDown } from './shotJob'

/** The same render with the plan's next smaller placement for the phase that ran out of memory. */
export const stepDownPlacement: PlacementStepDown = (render, error) => {
  const plan = render.engineOptions.plan as Plan | undefined
  const smaller = plan ? smallerPlacement(plan, outOfMemoryPhase(error.data)) : null
  if (!plan || !smaller) return null
  return {
    render: { ...render, engineOptions: { ...render.engineOptions, plan: smaller } },
    from: describePlacement(plan.placement),
    to: describePlacement(smaller.placement)
  }
}
