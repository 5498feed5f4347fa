import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

/** A uPlot line chart; data[0] is x, each further row one series. Rebuilt when the series change, fed otherwise. */
// uPlot takes null for a gap; one NaN makes a scale's range NaN and blanks the whole chart.
const gaps = (data: number[][]) => data.map((row) => row.map((v) => (Number.isFinite(v) ? v : null))) as uPlot.AlignedData;

export function LineChart(props: { title: string; x: string; series: string[]; data: number[][]; testId?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const key = props.series.join('|');
  useEffect(() => {
    const opts: uPlot.Options = {
      title: props.title,
      width: 520,
      height: 240,
      scales: { x: { time: false } },
      axes: [{ label: props.x }, {}],
      series: [{ label: props.x }, ...props.series.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length], width: 2, points: { show: true } }))],
    };
    plot.current = new uPlot(opts, gaps(props.data), el.current!);
    return () => plot.current?.destroy();
  }, [key]);
  useEffect(() => plot.current?.setData(gaps(props.data)), [props.data]);
  return <div class="chart" data-testid={props.testId} ref={el} />;
}
