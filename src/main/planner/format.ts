// Numbers as the plan's reasons and the doctor's report print them.

export function formatMiB(mib: number): string {
  return `${Math.round(mib).toLocaleString('en-US')} MiB`
}

export function formatGiB(mib: number): string {
  return `${(mib / 1024).toFixed(1)} GiB`
}

/** 42 -> "42 s", 1041 -> "17 min", 4500 -> "1 h 15 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`
}
