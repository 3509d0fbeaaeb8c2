// The user's "reduce motion" preference, followed live.
import { useEffect, useState } from 'react'

const QUERY = '(prefers-reduced-motion: reduce)'

export function useReducedMotion(): boolean {
  const [reduced, setReduced] = useState(() => window.matchMedia(QUERY).matches)
  useEffect(() => {
    const media = window.matchMedia(QUERY)
    const onChange = (): void => setReduced(media.matches)
    media.addEventListener('change', onChange)
    return () => media.removeEventListener('change', onChange)
  }, [])
  return reduced
}

/**
 * `value` as it was at most `everyMs` ago when motion is reduced (a chart that scrolls twice a second
 * becomes a still redrawn now and then); the live value otherwise.
 */
export function useCalmed<T>(value: T, reduced: boolean, everyMs: number): T {
  const [shown, setShown] = useState(value)
  const [shownAt, setShownAt] = useState(0)
  useEffect(() => {
    if (!reduced) return
    const wait = shownAt + everyMs - Date.now()
    const timer = window.setTimeout(() => {
      setShown(value)
      setShownAt(Date.now())
    }, Math.max(0, wait))
    return () => window.clearTimeout(timer)
  }, [value, reduced, everyMs, shownAt])
  return reduced ? shown : value
}
