// The shape of a schakelmodel and the helpers to walk it, without the validation: the gear engine
// needs only this, so it stays small enough to run in the browser (the quickscan page).

/** The five gears of the schakelmodel; a model always has exactly these. */
export const GEARS = [1, 2, 3, 4, 5] as const;
export type Gear = (typeof GEARS)[number];

export interface Criterion {
  key: string;
  text: string;
  measure: string;
  /** What to do to meet it: shown with the next steps. */
  guidance: string;
  /**
   * Whether "n.v.t." may be chosen (absent: yes, as in version 1). Version 2 refuses it where the
   * criterion is the basis of any policy (the written protocol) or chain cooperation, which no
   * organisation can opt out of. See `allowsNotApplicable`.
   */
  notApplicable?: boolean;
}

export interface GearDefinition {
  gear: Gear;
  name: string;
  description: string;
  criteria: Criterion[];
}

export interface Schakelmodel {
  id: string;
  version: number;
  name: string;
  /**
   * Criteria of gears above the first gear with an unmet criterion may stay unanswered (they
   * count as not met), so a gear-1 organisation need not answer the chain questions (version 2;
   * absent: no, as in version 1).
   */
  unansweredAboveFirstGap?: boolean;
  gears: GearDefinition[];
}

/** A criterion together with the gear it belongs to. */
export interface PlacedCriterion extends Criterion {
  gear: Gear;
}

/** Every criterion of the model in order, each with its gear. */
export function allCriteria(model: Schakelmodel): PlacedCriterion[] {
  return model.gears.flatMap((g) => g.criteria.map((c) => ({ ...c, gear: g.gear })));
}

export function gearDefinition(model: Schakelmodel, gear: number): GearDefinition | undefined {
  return model.gears.find((g) => g.gear === gear);
}

/** Whether "n.v.t." may be chosen for this criterion; a model file that does not say allows it. */
export function allowsNotApplicable(criterion: Criterion): boolean {
  return criterion.notApplicable !== false;
}

/** Identifies a model version, as stored with every quickscan. */
export function modelRef(model: Schakelmodel): { id: string; version: number } {
  return { id: model.id, version: model.version };
}
