// One live chart, drawn on a canvas by uPlot. Colours come from the CSS tokens at runtime; the text
// summary beside it carries the same facts for screen readers and for anyone who'd rather read.
import { useEffect, useRef, type ReactElement } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { ChartModel } from './chartSpecs'

const HEIGHT = 96

/** A token of tokens.css as the canvas needs it (a colour string), read from the live styles. */
function tokenColour(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim()
}

/** A tick of the time axis as the wall clock: "14:03:27". */
function clockLabel(seconds: number): string {
  return new Date(seconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })
}

function options(model: { current: ChartModel }, width: number): uPlot.Options {
  const axis = tokenColour('chart-axis')
  const grid = tokenColour('chart-grid')
  const font = `11px ${getComputedStyle(document.documentElement).getPropertyValue('--mono').trim() || 'monospace'}`
  return {
    width,
    height: HEIGHT,
    // A glanceable picture: no hover cursor, legend or zoom (the summary text holds the values).
    cursor: { show: false },
    legend: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    // The range is read at each redraw: the card's memory or power limit can arrive later.
    scales: { x: { time: true }, y: { range: () => model.current.range } },
    axes: [
      { stroke: axis, font, size: 22, space: 70, incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600], values: (_plot, ticks) => ticks.map(clockLabel), grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
      { stroke: axis, font, size: 40, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } }
    ],
    series: [{}, ...model.current.lines.map((line) => ({ label: line.label, stroke: tokenColour(line.colour), width: line.dashed ? 1 : 1.5, dash: line.dashed ? [5, 4] : undefined, spanGaps: false }))]
  }
}

function dataOf(model: ChartModel): uPlot.AlignedData {
  return [model.times, ...model.lines.map((line) => line.values)]
}

export function TelemetryChart({ model, gpuIndex }: { model: ChartModel; gpuIndex: number }): ReactElement {
  const holder = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
  /** The lines a chart was built for: a limit line appearing later needs a new chart. */
  const shape = model.lines.map((line) => line.label).join('|')
  const latestModel = useRef(model)
  // Declared first, so it runs before a chart is (re)built from it.
  useEffect(() => {
    latestModel.current = model
  })

  useEffect(() => {
    const element = holder.current
    if (!element) return
    const chart = new uPlot(options(latestModel, Math.max(120, element.clientWidth)), dataOf(latestModel.current), element)
    plot.current = chart
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(120, element.clientWidth), height: HEIGHT }))
    resize.observe(element)
    return () => {
      resize.disconnect()
      chart.destroy()
      plot.current = null
    }
  }, [shape, model.id])

  useEffect(() => {
    plot.current?.setData(dataOf(model))
  }, [model])

  const label = `GPU ${gpuIndex} ${model.title.toLowerCase()} over the last minutes: ${model.summary}`
  return (
    <figure className="telemetry-chart" data-testid={`telemetry-chart-${model.id}`}>
      <div className="telemetry-chart-title">
        {model.title} <span className="telemetry-chart-unit">{model.unit}</span>
      </div>
      <div className="telemetry-chart-canvas" ref={holder} role="img" aria-label={label} />
      {model.lines.length > 1 && (
        // The summary below says the same in words; this only pairs each line with its colour.
        <ul className="telemetry-legend" aria-hidden="true">
          {model.lines.map((line) => (
            <li key={line.label}>
              <span className={`telemetry-swatch swatch-${line.colour} ${line.dashed ? 'is-dashed' : ''}`} />
              {line.label}
            </li>
          ))}
        </ul>
      )}
      <figcaption className="telemetry-chart-summary" data-testid={`telemetry-summary-${model.id}`}>
        {model.summary}
      </figcaption>
    </figure>
  )
}
