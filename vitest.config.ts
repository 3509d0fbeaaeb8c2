import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A ceiling for a hang, not a speed check: tests that spawn the CLI, the sidecar and ffmpeg take
    // 10-30 s on a quiet 2-core machine and over 60 s when it is shared (the kill-and-resume batch test
    // did); speed is measured by the benchmark scripts.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Tests spawn ffmpeg and Python; on two cores parallel files only fight for CPU.
    fileParallelism: false,
    reporters: ['default']
  }
})
