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

/** Identifies a model version, as stored with every quickscan. */
export function modelRef(model: Schakelmodel): { id: string; version: number } {
  return { id: model.id, version: model.version };
}
