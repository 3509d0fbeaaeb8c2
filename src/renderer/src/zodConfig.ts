// zod probes `new Function` on first object parse; under this page's CSP (no 'unsafe-eval') the
// probe is refused and Chromium reports a CSP violation in the console. jitless skips the probe.
import { z } from 'zod'

z.config({ jitless: true })
