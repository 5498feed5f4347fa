import { builder } from '../builder.ts';

export const EpsPoint = builder.objectRef<{ eps: number; robustAccuracy: number }>('EpsPoint').implement({
  description: 'Worst-case robust accuracy at one L-inf radius (every attack of the ensemble failed on a point for it to count).',
  fields: (t) => ({ eps: t.exposeFloat('eps'), robustAccuracy: t.exposeFloat('robustAccuracy') }),
});
