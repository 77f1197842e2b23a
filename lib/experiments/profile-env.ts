/** Notebook parameters: the profile and parameter overrides come from the environment (GEM_PROFILE, GEM_PARAMS). */

export interface NotebookParams {
  /** Profile name (GEM_PROFILE; default 'small'). */
  profile: string;
  /** Parameter overrides (GEM_PARAMS, a JSON object; default {}). */
  overrides: Record<string, unknown>;
}

/**
 * Reads GEM_PROFILE and GEM_PARAMS from `env` (default process.env). GEM_PARAMS must be a JSON object,
 * e.g. GEM_PARAMS='{"seeds":2,"K":[1,5]}'; anything else throws naming the variable and the value.
 */
export function notebookParams(env: Record<string, string | undefined> = process.env, defaultProfile = 'small'): NotebookParams {
  const rawProfile = env.GEM_PROFILE?.trim();
  const profile = rawProfile ? rawProfile : defaultProfile;
  if (!/^[A-Za-z0-9_-]+$/.test(profile)) {
    throw new Error(`notebookParams: GEM_PROFILE = ${JSON.stringify(env.GEM_PROFILE)}; expected a profile name such as smoke, small or paper`);
  }
  const raw = env.GEM_PARAMS;
  if (raw === undefined || raw.trim() === '') return { profile, overrides: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new Error(`notebookParams: GEM_PARAMS = ${JSON.stringify(raw)} is not valid JSON (${err instanceof Error ? err.message : String(err)}); expected a JSON object such as '{"seeds":2}'`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`notebookParams: GEM_PARAMS = ${JSON.stringify(raw)}; expected a JSON object such as '{"seeds":2}'`);
  }
  return { profile, overrides: parsed as Record<string, unknown> };
}
