/** The scenarios named on the command line (e1…e4, any case, in the order given), or all of them. */
export function chooseScenarios<S extends { id: string }>(all: S[], args: string[]): S[] {
  const names = args.filter((arg) => arg !== '--').map((arg) => arg.toLowerCase());
  if (names.length === 0) return all;
  const unknown = names.filter((name) => !all.some((scenario) => scenario.id === name));
  if (unknown.length > 0) throw new Error(`Unknown scenario ${unknown.join(', ')}: choose from ${all.map((scenario) => scenario.id).join(', ')}.`);
  return names.map((name) => all.find((scenario) => scenario.id === name) as S);
}
