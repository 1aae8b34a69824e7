// One chart of the Statistics view, drawn by Chart.js on a canvas that fills its box and follows
// its size. The canvas is hidden from assistive technology: every figure beside it gives the same
// numbers as a table.
import { useEffect, useMemo, useRef } from 'react'
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js'
import type { ChartConfiguration, ChartDataset, Plugin } from 'chart.js'
import { useThemeColors } from './useThemeColors'
import type { ThemeColor, ThemeColors } from './useThemeColors'

// Only what these charts use, so the rest of Chart.js stays out of the bundle.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
)

export interface Series {
  label: string
  data: number[]
  /** One colour for the series, or one per bar. */
  color: ThemeColor | readonly ThemeColor[]
  /** Bars (the default), or a line over them. */
  type?: 'bar' | 'line'
  /** Lines: a dash and a point shape of their own, so series differ by more than colour. */
  dashed?: boolean
  point?: 'circle' | 'triangle' | 'rect' | 'rectRot'
}

interface Props {
  labels: string[]
  series: Series[]
  /** Bars grow to the right, labels down the side. */
  horizontal?: boolean
  /** Each bar's value written at its end (horizontal bars). */
  showValues?: boolean
  /** Tooltip titles, when the axis labels are short forms of them. */
  titles?: string[]
  /** The box the canvas fills (its height, for vertical bars). */
  className?: string
}

const numbers = new Intl.NumberFormat()

/** Pixels per horizontal bar, and for the axis under them. */
const BAR_ROW = 34
const AXIS_HEIGHT = 36

/** Writes each bar's value just past its end. */
const valueLabels: Plugin<'bar'> = {
  id: 'lecternValues',
  afterDatasetsDraw(chart) {
    const { ctx } = chart
    ctx.save()
    ctx.fillStyle = String(chart.options.color)
    ctx.font = `12px ${String(Chart.defaults.font.family)}`
    ctx.textBaseline = 'middle'
    chart.data.datasets.forEach((dataset, i) => {
      chart.getDatasetMeta(i).data.forEach((bar, j) => {
        const { x, y } = bar.getProps(['x', 'y'], true) as { x: number; y: number }
        ctx.fillText(numbers.format(Number(dataset.data[j])), x + 6, y)
      })
    })
    ctx.restore()
  },
}

function dataset(s: Series, colors: ThemeColors): ChartDataset<'bar' | 'line', number[]> {
  const color = typeof s.color === 'string' ? colors[s.color] : s.color.map((c) => colors[c])
  if (s.type === 'line') {
    return {
      type: 'line',
      label: s.label,
      data: s.data,
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2,
      borderDash: s.dashed ? [6, 4] : [],
      pointStyle: s.point ?? 'circle',
      // No marks along the floor: the weeks with something stand out.
      pointRadius: (point) => (point.raw === 0 ? 0 : 3),
      pointHoverRadius: 5,
      tension: 0,
      order: 0,
    }
  }
  return {
    type: 'bar',
    label: s.label,
    data: s.data,
    backgroundColor: color,
    borderRadius: 2,
    maxBarThickness: 28,
    order: 1,
  }
}

function configOf(props: Props, colors: ThemeColors): ChartConfiguration {
  const { labels, series, horizontal = false, showValues = false, titles } = props
  const grid = { color: colors.line }
  const ticks = { color: colors.muted }
  const count = { ...ticks, precision: 0 }
  return {
    type: 'bar',
    data: { labels, datasets: series.map((s) => dataset(s, colors)) },
    plugins: showValues ? [valueLabels as Plugin] : [],
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      maintainAspectRatio: false,
      // Drawn at once: nothing moves for those who asked for less motion, and Chart.js keeps a
      // resize asked for during an animation and applies it afterwards, over any later one.
      animation: false,
      color: colors.text,
      layout: { padding: { right: showValues ? 48 : 4 } },
      interaction: { mode: 'index', intersect: false },
      scales: horizontal
        ? {
            x: { beginAtZero: true, grid, ticks: count, border: { display: false } },
            y: { grid: { display: false }, ticks: { color: colors.text } },
          }
        : {
            x: {
              grid: { display: false },
              ticks: { ...ticks, maxRotation: 0, autoSkipPadding: 8 },
            },
            y: { beginAtZero: true, grid, ticks: count, border: { display: false } },
          },
      plugins: {
        legend: {
          display: series.length > 1,
          position: 'bottom',
          labels: {
            color: colors.text,
            usePointStyle: true,
            boxHeight: 8,
            // In the order given (Chart.js would put the lines drawn on top first).
            sort: (a, b) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0),
          },
        },
        tooltip: {
          backgroundColor: colors.text,
          titleColor: colors.panel,
          bodyColor: colors.panel,
          usePointStyle: true,
          callbacks: titles ? { title: (items) => titles[items[0]?.dataIndex ?? 0] ?? '' } : {},
        },
      },
    },
  }
}

export function StatsChart(props: Props) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const colors = useThemeColors()
  const { labels, series, horizontal, showValues, titles } = props
  const config = useMemo(
    () => configOf({ labels, series, horizontal, showValues, titles }, colors),
    [labels, series, horizontal, showValues, titles, colors],
  )
  useEffect(() => {
    Chart.defaults.font.family = colors.font
    const chart = new Chart(canvas.current!, config)
    return () => chart.destroy()
  }, [config, colors.font])
  return (
    <div
      className={props.className}
      // Horizontal bars keep their thickness: the box grows with their number.
      style={horizontal ? { height: labels.length * BAR_ROW + AXIS_HEIGHT } : undefined}
    >
      <canvas ref={canvas} aria-hidden="true" />
    </div>
  )
}
