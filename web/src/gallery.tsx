import { useEffect, useRef, useState } from 'preact/hooks';
import type { AdversarialExampleReport } from '@temper/edge/evaluation/catalogue';
import type { ExamplesAtEps } from './report-data.ts';

const SCALE = 3;

/** An NHWC image in [0,1] (1 or 3 channels) as RGBA pixels. */
function toImageData(values: readonly number[], [h, w, c]: readonly number[]): ImageData {
  const out = new ImageData(w, h);
  for (let i = 0; i < h * w; i++) {
    for (let k = 0; k < 3; k++) out.data[i * 4 + k] = Math.round(Math.min(1, Math.max(0, values[i * c + (c === 1 ? 0 : k)])) * 255);
    out.data[i * 4 + 3] = 255;
  }
  return out;
}

/**
 * The perturbation, amplified so that the largest change spans the whole range: mid-grey is no
 * change, lighter is added, darker removed. At eps 0.1 the raw difference is invisible.
 */
function perturbation(e: AdversarialExampleReport): number[] {
  const d = e.adversarial.map((v, i) => v - e.clean[i]);
  const peak = Math.max(1e-12, ...d.map(Math.abs));
  return d.map((v) => 0.5 + v / (2 * peak));
}

function Picture({ values, shape, label }: { values: readonly number[]; shape: readonly number[]; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current!;
    const [h, w] = shape;
    const tile = document.createElement('canvas');
    tile.width = w;
    tile.height = h;
    tile.getContext('2d')!.putImageData(toImageData(values, shape), 0, 0);
    const ctx = canvas.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(tile, 0, 0, w * SCALE, h * SCALE);
  }, [values, shape]);
  return <canvas ref={ref} width={shape[1] * SCALE} height={shape[0] * SCALE} title={label} aria-label={label} />;
}

/** Clean image, amplified perturbation and adversarial image of each fooled example at one eps. */
export function Gallery({ sets, className = (k: number) => String(k) }: { sets: readonly ExamplesAtEps[]; className?: (k: number) => string }) {
  const withExamples = sets.filter((s) => s.examples.length > 0);
  const [eps, setEps] = useState<number | null>(withExamples.at(-1)?.eps ?? null);
  if (withExamples.length === 0) return <p data-testid="gallery-empty">This evaluation stored no examples (no attack fooled the model, or the report predates stored examples).</p>;
  const shown = withExamples.find((s) => s.eps === eps) ?? withExamples.at(-1)!;
  return (
    <div data-testid="gallery">
      <p>
        Examples the worst-case attack broke at eps{' '}
        <select data-testid="gallery-eps" value={String(shown.eps)} onChange={(e) => setEps(Number((e.target as HTMLSelectElement).value))}>
          {withExamples.map((s) => <option key={s.eps} value={String(s.eps)}>{s.eps}</option>)}
        </select>{' '}
        ({shown.examples.length}): clean, perturbation (amplified), adversarial.
      </p>
      <div class="gallery">
        {shown.examples.map((e) => (
          <figure key={`${shown.eps}-${e.index}`} class="example">
            <div class="triple">
              <Picture values={e.clean} shape={e.shape} label={`clean #${e.index}`} />
              <Picture values={perturbation(e)} shape={e.shape} label="perturbation, amplified" />
              <Picture values={e.adversarial} shape={e.shape} label={`adversarial #${e.index}`} />
            </div>
            <figcaption>
              #{e.index}: true <b>{className(e.label)}</b>, clean → {className(e.cleanPrediction)}, adversarial → <b class="bad">{className(e.adversarialPrediction)}</b> ({e.attack})
            </figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}
