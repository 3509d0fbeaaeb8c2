// Display formatting shared by the panels.

/** 83 -> "1:23", 3723 -> "1:02:03". */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m)
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`
}

/** Time left in words: "about 2 min left", "less than a minute left", "about 1 h 20 min left". */
export function formatEta(etaSeconds: number | null): string {
  if (etaSeconds === null || !Number.isFinite(etaSeconds)) return 'estimating time left…'
  if (etaSeconds < 5) return 'almost done'
  if (etaSeconds < 45) return 'less than a minute left'
  const minutes = Math.round(etaSeconds / 60)
  if (minutes < 60) return `about ${Math.max(1, minutes)} min left`
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return m === 0 ? `about ${h} h left` : `about ${h} h ${m} min left`
}

/** A duration in words for finished work: "4.2 s", "3 min 12 s", "1 h 5 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–'
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`
  const total = Math.round(seconds)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  if (h > 0) return `${h} h ${m} min`
  return s === 0 ? `${m} min` : `${m} min ${s} s`
}

/** Clip length: 81 frames at 16 fps -> "5.1 s". */
export function formatClipSeconds(frames: number, fps: number): string {
  if (fps <= 0) return '–'
  const s = frames / fps
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`
}

/** Mebibytes as GiB with one decimal: 81559 -> "79.6 GiB". */
export function formatMiB(mib: number | null | undefined): string {
  if (mib === null || mib === undefined || !Number.isFinite(mib)) return '–'
  if (mib < 1024) return `${Math.round(mib)} MiB`
  return `${(mib / 1024).toFixed(1)} GiB`
}

/** Local wall-clock time of an ISO timestamp: "14:03:27"; the raw text when unparseable. */
export function formatLogTime(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleTimeString(undefined, { hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit' })
}

/** When a check was taken, from its ISO time: "Checked at 14:03:27". */
export function formatCheckedAt(takenAt: string): string {
  return `Checked at ${formatLogTime(takenAt)}`
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}
