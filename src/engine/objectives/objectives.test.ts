import { describe, expect, it } from 'vitest';
import { createObjective } from './index.js';
import { weightedQuantile } from './objective.js';

/** Loss of one row for a finite-difference check of the gradient. */
const losses = {
  binary: (raw: number, y: number) => Math.log(1 + Math.exp(raw)) - y * raw,
  regression: (raw: number, y: number) => 0.5 * (raw - y) ** 2,
  huber: (raw: number, y: number) => (Math.abs(raw - y) <= 1 ? 0.5 * (raw - y) ** 2 : Math.abs(raw - y) - 0.5),
  l1: (raw: number, y: number) => Math.abs(raw - y),
};

describe('objectives', () => {
  it.each(Object.keys(losses) as (keyof typeof losses)[])('%s gradient is the derivative of its loss', (name) => {
    const obj = createObjective({ objective: name, nClasses: 0, huberDelta: 1 }, false);
    const raw = Float64Array.of(-2, -0.3, 0.1, 1.7, 4);
    const labels = name === 'binary' ? Float64Array.of(0, 1, 1, 0, 1) : Float64Array.of(0.5, -1, 2, 1.5, 0);
    const g = new Float32Array(5);
    const h = new Float32Array(5);
    obj.gradients(raw, labels, undefined, g, h, 0, labels.length);
    for (let i = 0; i < 5; i++) {
      const eps = 1e-6;
      const fd = (losses[name](raw[i]! + eps, labels[i]!) - losses[name](raw[i]! - eps, labels[i]!)) / (2 * eps);
      expect(g[i]).toBeCloseTo(fd, 4);
      expect(h[i]).toBeGreaterThan(0);
    }
  });

  it('multiclass gradients are softmax minus one-hot and sum to zero per row', () => {
    const obj = createObjective({ objective: 'multiclass', nClasses: 3, huberDelta: 1 }, false);
    const n = 2;
    const raw = Float64Array.of(0, 1, 0, 1, 0, 0); // output-major: class c of row i at c*n+i
    const g = new Float32Array(6);
    const h = new Float32Array(6);
    obj.gradients(raw, Float64Array.of(0, 2), undefined, g, h, 0, 2);
    // row 0 = (0, 0, 0), label 0; row 1 = (1, 1, 0), label 2
    const e = Math.E;
    expect(g[0]).toBeCloseTo(1 / 3 - 1, 6);
    expect(g[n]).toBeCloseTo(1 / 3, 6);
    expect(g[2 * n + 1]).toBeCloseTo(1 / (2 * e + 1) - 1, 6);
    for (let i = 0; i < n; i++) expect(g[i]! + g[n + i]! + g[2 * n + i]!).toBeCloseTo(0, 6);
  });

  it('initial scores come from the target prior', () => {
    const y = Float64Array.of(0, 1, 1, 1);
    expect(createObjective({ objective: 'binary', nClasses: 2, huberDelta: 1 }, false).initScore(y, undefined)[0]).toBeCloseTo(Math.log(3), 12);
    const w = Float64Array.of(3, 1, 1, 1);
    expect(createObjective({ objective: 'binary', nClasses: 2, huberDelta: 1 }, true).initScore(y, w)[0]).toBeCloseTo(0, 12);
    const mc = createObjective({ objective: 'multiclass', nClasses: 3, huberDelta: 1 }, false).initScore(Float64Array.of(0, 1, 1, 2), undefined);
    expect(Array.from(mc)).toEqual([Math.log(0.25), Math.log(0.5), Math.log(0.25)]);
    expect(createObjective({ objective: 'regression', nClasses: 0, huberDelta: 1 }, false).initScore(Float64Array.of(1, 2, 9), undefined)[0]).toBe(4);
    expect(createObjective({ objective: 'l1', nClasses: 0, huberDelta: 1 }, false).initScore(Float64Array.of(1, 2, 9), undefined)[0]).toBe(2);
  });

  it('weights multiply gradients and hessians', () => {
    const obj = createObjective({ objective: 'regression', nClasses: 0, huberDelta: 1 }, true);
    expect(obj.hessiansAreConstant).toBe(false);
    const g = new Float32Array(2);
    const h = new Float32Array(2);
    obj.gradients(Float64Array.of(1, 1), Float64Array.of(0, 3), Float64Array.of(2, 0.5), g, h, 0, 2);
    expect(Array.from(g)).toEqual([2, -1]);
    expect(Array.from(h)).toEqual([2, 0.5]);
  });

  it('weighted median', () => {
    expect(weightedQuantile(Float64Array.of(5, 1, 3), undefined, 0.5)).toBe(3);
    expect(weightedQuantile(Float64Array.of(5, 1, 3), Float64Array.of(10, 1, 1), 0.5)).toBe(5);
  });

  it('rejects unknown objectives and bad labels', () => {
    expect(() => createObjective({ objective: 'poisson' as never, nClasses: 0, huberDelta: 1 }, false)).toThrow(/poisson/);
    expect(() => createObjective({ objective: 'multiclass', nClasses: 3, huberDelta: 1 }, false).checkLabels(Float64Array.of(0, 3))).toThrow(/got 3 at row 1/);
  });
});
