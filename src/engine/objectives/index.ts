/** Objective name → factory. Unknown names fail here. */
import type { GbdtParams } from '../boosting/model.js';
import type { Objective } from './objective.js';
import { binaryObjective } from './binary.js';
import { multiclassObjective } from './multiclass.js';
import { huberObjective, l1Objective, squaredErrorObjective } from './regression.js';

export type { Objective } from './objective.js';
export { weightedQuantile } from './objective.js';

/**
 * @param params resolved parameters (objective, nClasses, huberDelta are read)
 * @param hasWeights whether sample weights are given (squared error then has non-constant hessians)
 */
export function createObjective(params: Pick<GbdtParams, 'objective' | 'nClasses' | 'huberDelta'>, hasWeights: boolean): Objective {
  switch (params.objective) {
    case 'binary':
      return binaryObjective();
    case 'multiclass':
      return multiclassObjective(params.nClasses);
    case 'regression':
      return squaredErrorObjective(hasWeights);
    case 'huber':
      return huberObjective(params.huberDelta);
    case 'l1':
      return l1Objective();
    default:
      throw new RangeError(`unknown objective ${String(params.objective)}`);
  }
}
