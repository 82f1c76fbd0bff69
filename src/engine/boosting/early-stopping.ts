/**
 * Early stopping on a validation metric: remembers the best round and says when `patience` rounds
 * have passed without a strict improvement.
 */
import { isImprovement } from '../metrics/index.js';

export class EarlyStopping {
  readonly #higherIsBetter: boolean;
  readonly #patience: number;
  #bestRound = -1;
  #bestValue = NaN;

  /** @param patience rounds without improvement before stopping; 0 = never stop */
  constructor(higherIsBetter: boolean, patience: number) {
    this.#higherIsBetter = higherIsBetter;
    this.#patience = patience;
  }

  /** Records round `round` (0-based, increasing); returns true when training should stop. */
  update(round: number, value: number): boolean {
    if (this.#bestRound < 0 || isImprovement(this.#higherIsBetter, value, this.#bestValue)) {
      this.#bestRound = round;
      this.#bestValue = value;
      return false;
    }
    return this.#patience > 0 && round - this.#bestRound >= this.#patience;
  }

  /** Best round so far (0-based), -1 before the first update. */
  get bestRound(): number {
    return this.#bestRound;
  }

  get bestValue(): number {
    return this.#bestValue;
  }
}
