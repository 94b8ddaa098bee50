// The traffic editor's rules, the same the server applies (services/endpoints.py check_traffic).

/** What the inputs hold: a weight per deployment, as typed. */
export type WeightInputs = Record<string, string>;
export type Weights = Record<string, number>;

export type TrafficCheck = { weights: Weights; error: null } | { weights: null; error: string };

/** Typed weights checked: whole percentages from 0 to 100; live traffic must add up to 100 (or 0: no traffic). */
export function checkWeights(inputs: WeightInputs, kind: "traffic" | "mirror"): TrafficCheck {
  const weights: Weights = {};
  for (const [deployment, typed] of Object.entries(inputs)) {
    const text = typed.trim();
    const value = text === "" ? 0 : Number(text);
    if (!Number.isInteger(value) || value < 0 || value > 100) {
      return { weights: null, error: `${deployment}: ${JSON.stringify(typed)} is not a whole percentage from 0 to 100` };
    }
    weights[deployment] = value;
  }
  const total = Object.values(weights).reduce((sum, w) => sum + w, 0);
  if (kind === "traffic" && total !== 100 && total !== 0) {
    return { weights: null, error: `the weights add up to ${total}%; they must add up to 100%` };
  }
  return { weights, error: null };
}

/** The inputs for the deployments shown, from the endpoint's weights (a deployment not listed takes 0). */
export function weightInputs(deployments: string[], weights: Weights | undefined): WeightInputs {
  return Object.fromEntries(deployments.map((d) => [d, String(weights?.[d] ?? 0)]));
}

/** What the server stores: only the deployments that take a share. */
export function nonZero(weights: Weights): Weights {
  return Object.fromEntries(Object.entries(weights).filter(([, w]) => w > 0));
}

/** "blue 90%, green 10%" */
export function describeTraffic(weights: Weights | undefined): string {
  const shares = Object.entries(weights ?? {}).filter(([, w]) => w > 0);
  return shares.length ? shares.map(([d, w]) => `${d} ${w}%`).join(", ") : "none";
}
