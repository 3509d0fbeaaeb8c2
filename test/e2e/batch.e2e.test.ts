// End to end: the batch panel in the built renderer (Chromium), bridged to the real core in this
// process like studio.e2e.test.ts: open a list by path and by drop, preview it, queue it, and see
// every job of the batch finish in its folder; after a restart, the unfinished batch re-attached.
// The prompt options: each row's language, and translate/extend without a helper model (what they
// say, what they block), the chosen setting recorded in batch.json.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createIpcHandlers, dispatchInvoke } from '../../src/main/core/ipcHandlers'
import type { BatchStatus } from '../../src/shared/batch'
import { openBrowserStudio, resultsDir, seriousViolations, type BrowserStudio } from './browserStudio'
import { testEnv } from '../helpers/studio'

const LIST = 'name,prompt,seconds\nfox,"a red fox, in snow",1\n,an owl at night 🦉,1\nbad,a broken row,0\n'

describe('batch end to end (Chromium + real core)', () => {
  let app: BrowserStudio
  const dir = mkdtempSync(join(tmpdir(), 'wan-batch-e2e-'))

  beforeAll(async () => {
    // No models folder, so no helper model, whatever this machine has.
    app = await openBrowserStudio(testEnv({ WAN_STUDIO_MODELS_DIR: '' }), { viewport: { width: 1440, height: 1000 } })
  })

  afterAll(() => app?.close())

  it('previews a dropped list: its jobs and its refused row with the line', async () => {
    const { page } = app
    const panel = page.getByRole('region', { name: 'Batch' })
    await panel.getByLabel('Engine').selectOption('synthetic')
    // What a drop from the file manager delivers: a File whose text the renderer reads.
    await panel.evaluate((element, text) => {
      const transfer = new DataTransfer()
      transfer.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }))
      element.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }))
    }, LIST)
    await expect.poll(() => panel.textContent(), { timeout: 30_000 }).toMatch(/2 jobs, 1 rejected/)
    expect(await panel.getByRole('list', { name: 'Rejected rows' }).textContent()).toMatch(/dropped\.csv:4 seconds must be greater than 0/)
    expect(await panel.textContent()).toMatch(/no time prediction: the synthetic engine has no time prediction/)
    // Each row's prompt language in its own column; nothing is translated without a helper model.
    await expect.poll(() => panel.getByTestId('batch-row-language').allTextContents(), { timeout: 30_000 }).toEqual(['Language: English', 'Language: English'])
  })

  it('offers translate and extend with what they do, and blocks what would fail without a helper model', async () => {
    const { page } = app
    const panel = page.getByRole('region', { name: 'Batch' })
    const translate = panel.getByRole('combobox', { name: 'Translate into Chinese' })
    // The inspector's list of modes, auto first (what a new batch gets).
    expect(await translate.locator('option').allTextContents()).toEqual(['Auto: when not in Chinese', 'Always', 'Never'])
    expect(await translate.inputValue()).toBe('auto')
    await expect.poll(() => panel.getByText(/^No helper model is installed .*: prompts go to the model as typed\.$/).count(), { timeout: 30_000 }).toBe(1)
    const extend = panel.getByRole('checkbox', { name: 'Extend prompts' })
    expect(await extend.isDisabled()).toBe(true)
    expect(await extend.getAttribute('aria-describedby').then((id) => page.locator(`[id="${id}"]`).textContent())).toMatch(/^Needs a helper model: none is installed/)

    await panel.getByLabel('Output folder').fill(join(dir, 'refused'))
    const queue = panel.getByRole('button', { name: 'Queue 2 jobs' })
    expect(await queue.isEnabled()).toBe(true)
    await translate.selectOption('always')
    expect(await queue.isDisabled()).toBe(true)
    expect(await panel.getByTestId('batch-blocked').textContent()).toMatch(/^Translate is set to always, but no helper model is installed .*every job would be refused/)
    expect(await queue.getAttribute('aria-describedby')).toBe(await panel.getByTestId('batch-blocked').getAttribute('id'))
    await page.screenshot({ path: join(resultsDir, 'batch-translate-blocked.png') })
    expect(await seriousViolations(page, { include: 'section.batch-panel' })).toEqual([])

    await translate.selectOption('never')
    expect(await queue.isEnabled()).toBe(true)
    expect(await panel.getByText('Prompts go to the model as typed.').count()).toBe(1)
    await panel.getByLabel('Output folder').fill('')
  })

  it('previews a list by path, queues it into a folder, and shows the folder once every job is done', async () => {
    const { page, studio, pageErrors } = app
    const list = join(dir, 'list.csv')
    writeFileSync(list, LIST)
    const outDir = join(dir, 'out')
    const panel = page.getByRole('region', { name: 'Batch' })
    await panel.getByLabel('Prompt list (.txt, .csv, .jsonl)').fill(list)
    await panel.getByRole('button', { name: 'Preview' }).click()
    await expect.poll(() => panel.getByRole('list', { name: 'Jobs' }).textContent(), { timeout: 30_000 }).toMatch(/line 2 Language: English fox: a red fox, in snow/)
    expect(await panel.getByRole('list', { name: 'Jobs' }).textContent()).toMatch(/line 3 Language: English an owl at night 🦉/)
    await page.screenshot({ path: join(resultsDir, 'batch-preview.png') })

    await panel.getByLabel('Output folder').fill(outDir)
    await panel.getByRole('button', { name: 'Queue 2 jobs' }).click()
    // The batch's renders are jobs of the studio's queue (the queue panel lists them).
    await expect.poll(async () => (await studio.queue()).snapshot().jobs.filter((job) => job.payload.kind === 'render-shot').length, { timeout: 30_000 }).toBe(2)
    await expect.poll(() => panel.getByRole('status').textContent(), { timeout: 120_000 }).toMatch(/2 of 2 jobs done/)
    // The panel reads the tracker's rows; batch.json and the summary are written (atomically) just after.
    await expect.poll(() => readdirSync(outDir).sort(), { timeout: 10_000 }).toEqual(['an-owl-at-night.mp4', 'an-owl-at-night.wan-studio.json', 'batch-summary.json', 'batch.json', 'fox.mp4', 'fox.wan-studio.json'])
    // The translate setting chosen in the panel (never, above) is the batch's.
    expect(JSON.parse(readFileSync(join(outDir, 'batch.json'), 'utf8'))).toMatchObject({ translate: 'never', extend: false })
    await page.screenshot({ path: join(resultsDir, 'batch-done.png') })
    // The test bridge has no file manager: the call reaches main and its answer is shown.
    await panel.getByRole('button', { name: 'Show the folder' }).click()
    await expect.poll(() => panel.getByRole('alert').textContent()).toMatch(/no file manager here/)
    expect(pageErrors).toEqual([])
  }, 180_000)

  it('after a restart the panel shows the unfinished batch re-attached, and Resume finishes it', async () => {
    const env = testEnv()
    const outDir = join(dir, 'restarted')
    // The app before: the batch queued with its second row held, closed once the first row is done.
    const before = await openBrowserStudio(env, { viewport: { width: 1440, height: 1000 } })
    try {
      const queue = await before.studio.queue()
      queue.setPaused(true)
      const started = await dispatchInvoke(createIpcHandlers(before.studio), 'batch', 'start', { name: 'list.csv', text: LIST, defaults: { engine: 'synthetic' }, outDir })
      if (!started.ok) throw new Error(started.error.message)
      queue.pause((started.value as BatchStatus).rows[1]!.jobId!)
      queue.setPaused(false)
      await expect.poll(() => existsSync(join(outDir, 'fox.mp4')) && readFileSync(join(outDir, 'batch-summary.json'), 'utf8'), { timeout: 120_000 }).toMatch(/"status": "done"/)
    } finally {
      await before.close()
    }

    // A new studio on the same data folder, and a fresh page.
    const after = await openBrowserStudio(env, { viewport: { width: 1440, height: 1000 } })
    try {
      const batch = after.page.getByRole('region', { name: 'Batch' }).getByRole('status', { name: `Batch in ${outDir}` })
      await expect.poll(() => batch.textContent(), { timeout: 30_000 }).toMatch(/1 of 2 jobs done — 1 still in the queue/)
      expect(await batch.getByRole('list', { name: `Rows of the batch in ${outDir}` }).textContent()).toMatch(/line 2 fox done.*line 3 an-owl-at-night paused/)
      await after.page.screenshot({ path: join(resultsDir, 'batch-reattached.png') })
      await batch.getByRole('button', { name: 'Resume' }).click()
      await expect.poll(() => batch.textContent(), { timeout: 120_000 }).toMatch(/2 of 2 jobs done/)
      await expect.poll(() => (JSON.parse(readFileSync(join(outDir, 'batch-summary.json'), 'utf8')) as { jobs: { status: string }[] }).jobs.map((job) => job.status), { timeout: 10_000 }).toEqual(['done', 'done'])
      expect(after.pageErrors).toEqual([])
    } finally {
      await after.close()
    }
  }, 300_000)
})
