// The GPU memory the planner keeps free, shared so the app warns at the same line the plan respects.

/** Kept free on the GPU: 10% or 1.5 GiB, whichever is more (fragmentation, the desktop, other apps). */
export function vramMarginMiB(totalMiB: number): number {
  return Math.max(0.1 * totalMiB, 1536)
}

/** Whether `usedMiB` has eaten into the margin of a card with `totalMiB`. */
export function withinVramMargin(usedMiB: number, totalMiB: number): boolean {
  return usedMiB > totalMiB - vramMarginMiB(totalMiB)
}
